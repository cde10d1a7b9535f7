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

  async set(tenantId: string, userId: string, credential: Omit<Credential, 'updatedAt'>): Promise<void> {
    const values = {
      verifier: credential.verifier,
      must_change: flag(credential.mustChange),
      updated_at: this.#clock.now(),
    }
    await this.#db
      .insertInto('credentials')
      .values({ tenant_id: tenantId, user_id: userId, ...values })
      .onConflict((oc) => oc.column('user_id').doUpdateSet(values))
      .execute()
  }
}
