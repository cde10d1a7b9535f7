/** @module Smart lockout state over Kysely. */
import type { Kysely } from 'kysely'
import type { Database } from './database-schema.ts'
import type { SignInLockoutRepository } from './store.ts'
import type { SignInLockout } from './store-records.ts'

export class KyselyLockoutRepository implements SignInLockoutRepository {
  readonly #db: Kysely<Database>
  constructor(db: Kysely<Database>) {
    this.#db = db
  }

  async get(tenantId: string, userId: string): Promise<SignInLockout | undefined> {
    const row = await this.#db
      .selectFrom('sign_in_lockouts')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('user_id', '=', userId)
      .executeTakeFirst()
    return (
      row && {
        failures: row.failures,
        lockLevel: row.lock_level,
        lockedUntil: row.locked_until,
        recentBad: JSON.parse(row.recent_bad) as string[],
        updatedAt: row.updated_at,
      }
    )
  }

  async put(tenantId: string, userId: string, state: SignInLockout): Promise<void> {
    const values = {
      failures: state.failures,
      lock_level: state.lockLevel,
      locked_until: state.lockedUntil,
      recent_bad: JSON.stringify(state.recentBad),
      updated_at: state.updatedAt,
    }
    await this.#db
      .insertInto('sign_in_lockouts')
      .values({ tenant_id: tenantId, user_id: userId, ...values })
      .onConflict((oc) => oc.column('user_id').doUpdateSet(values))
      .execute()
  }
}
