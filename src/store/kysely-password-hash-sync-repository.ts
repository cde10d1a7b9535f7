/** @module Per-user password hash sync health over Kysely: what the tenant last took from an agent, and when. */
import type { Kysely } from 'kysely'
import type { Database, PasswordHashSyncTable } from './database-schema.ts'
import type { PasswordHashSyncRepository } from './store.ts'
import type { PasswordHashSyncStatus } from './store-records.ts'

const toRecord = (row: PasswordHashSyncTable & { user_principal_name: string }): PasswordHashSyncStatus => ({
  userId: row.user_id,
  userPrincipalName: row.user_principal_name,
  agentId: row.agent_id,
  result: row.result,
  detail: row.detail,
  changedAt: row.changed_at === null ? null : Number(row.changed_at),
  syncedAt: Number(row.synced_at),
})

export class KyselyPasswordHashSyncRepository implements PasswordHashSyncRepository {
  readonly #db: Kysely<Database>
  constructor(db: Kysely<Database>) {
    this.#db = db
  }

  async record(tenantId: string, statuses: readonly Omit<PasswordHashSyncStatus, 'userPrincipalName'>[]): Promise<void> {
    if (statuses.length === 0) return
    const rows = statuses.map((s) => ({
      user_id: s.userId,
      tenant_id: tenantId,
      agent_id: s.agentId,
      result: s.result,
      detail: s.detail,
      changed_at: s.changedAt,
      synced_at: s.syncedAt,
    }))
    await this.#db
      .insertInto('password_hash_sync')
      .values(rows)
      .onConflict((oc) =>
        oc.column('user_id').doUpdateSet((eb) => ({
          agent_id: eb.ref('excluded.agent_id'),
          result: eb.ref('excluded.result'),
          detail: eb.ref('excluded.detail'),
          changed_at: eb.ref('excluded.changed_at'),
          synced_at: eb.ref('excluded.synced_at'),
        })),
      )
      .execute()
  }

  async get(tenantId: string, userId: string): Promise<PasswordHashSyncStatus | undefined> {
    const row = await this.#select(tenantId).where('p.user_id', '=', userId).executeTakeFirst()
    return row && toRecord(row)
  }

  async list(tenantId: string, query: { limit: number; offset: number }): Promise<{ total: number; items: PasswordHashSyncStatus[] }> {
    const rows = await this.#select(tenantId).orderBy('u.upn_key').limit(query.limit).offset(query.offset).execute()
    const count = await this.#db
      .selectFrom('password_hash_sync')
      .where('tenant_id', '=', tenantId)
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .executeTakeFirstOrThrow()
    return { total: Number(count.n), items: rows.map(toRecord) }
  }

  #select(tenantId: string) {
    return this.#db
      .selectFrom('password_hash_sync as p')
      .innerJoin('users as u', 'u.id', 'p.user_id')
      .where('p.tenant_id', '=', tenantId)
      // Both sides: so a page in UPN order walks users_upn and stops at the limit, instead of
      // joining and sorting every synced user of the tenant for each page.
      .where('u.tenant_id', '=', tenantId)
      .selectAll('p')
      .select('u.user_principal_name')
  }
}
