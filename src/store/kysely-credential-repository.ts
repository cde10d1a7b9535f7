/** @module Password verifiers over Kysely: never a password, only scrypt or OrgId verifiers. */
import type { Kysely } from 'kysely'
import type { Clock } from '../time/clock.ts'
import type { Database } from './database-schema.ts'
import { flag } from './row-mappers.ts'
import type { CredentialRepository } from './store.ts'
import type { Credential } from './store-records.ts'

export class KyselyCredentialRepository implements CredentialRepository {
  readonly #db: Kysely<Database>
  readonly #clock: Clock
  constructor(db: Kysely<Database>, clock: Clock) {
    this.#db = db
    this.#clock = clock
  }

  async get(tenantId: string, userId: string): Promise<Credential | undefined> {
    const row = await this.#db
      .selectFrom('credentials')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('user_id', '=', userId)
      .executeTakeFirst()
    return row && { verifier: row.verifier, mustChange: row.must_change === 1, updatedAt: row.updated_at }
  }

  set(tenantId: string, userId: string, credential: Omit<Credential, 'updatedAt'>): Promise<void> {
    return this.setMany(tenantId, [{ userId, ...credential }])
  }

  async setMany(tenantId: string, credentials: readonly ({ userId: string } & Omit<Credential, 'updatedAt'>)[]): Promise<void> {
    if (credentials.length === 0) return
    const now = this.#clock.now()
    await this.#db
      .insertInto('credentials')
      .values(
        credentials.map((c) => ({
          tenant_id: tenantId,
          user_id: c.userId,
          verifier: c.verifier,
          must_change: flag(c.mustChange),
          updated_at: now,
        })),
      )
      .onConflict((oc) =>
        oc.column('user_id').doUpdateSet((eb) => ({
          verifier: eb.ref('excluded.verifier'),
          must_change: eb.ref('excluded.must_change'),
          updated_at: eb.ref('excluded.updated_at'),
        })),
      )
      .execute()
  }
}
