/** @module What `idbridge doctor` asks the store about itself: schema version and row counts, never rows. */
import { type Kysely, sql } from 'kysely'
import type { Database } from './database-schema.ts'
import { migrationNames } from './migrations.ts'
import type { StoreHealth, StoreHealthRepository } from './store.ts'

/** Tables counted for one tenant: each has a tenant_id column. */
const tenantTables = [
  'users',
  'groups',
  'credentials',
  'sessions',
  'admin_tokens',
  'audit_events',
  'agents',
  'sync_runs',
  'agent_events',
  'security_info',
  'sspr_flows',
  'writeback_requests',
  'password_hash_sync',
] as const satisfies readonly (keyof Database)[]

export class KyselyStoreHealthRepository implements StoreHealthRepository {
  readonly #db: Kysely<Database>
  constructor(db: Kysely<Database>) {
    this.#db = db
  }

  async describe(tenantId: string): Promise<StoreHealth> {
    // Kysely's own bookkeeping table; it is not part of Database, so it is read with raw SQL.
    const applied = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(this.#db)
    const names = applied.rows.map((r) => r.name)
    const counts: Record<string, number> = {}
    for (const table of tenantTables) {
      const row = await this.#db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<number | string>().as('n'))
        .where('tenant_id', '=', tenantId)
        .executeTakeFirst()
      counts[table] = Number(row?.n ?? 0)
    }
    const tenants = await this.#db
      .selectFrom('tenants')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .executeTakeFirst()
    return {
      migration: names.at(-1) ?? null,
      migrationsApplied: names.length,
      latestMigration: migrationNames.at(-1) ?? null,
      tenants: Number(tenants?.n ?? 0),
      counts,
    }
  }
}
