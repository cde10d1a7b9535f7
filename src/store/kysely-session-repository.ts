/** @module Browser sessions over Kysely, keyed by the SHA-256 of the cookie value. */
import type { Kysely } from 'kysely'
import type { Database } from './database-schema.ts'
import type { SessionRepository } from './store.ts'
import type { Session } from './store-records.ts'

export class KyselySessionRepository implements SessionRepository {
  readonly #db: Kysely<Database>
  constructor(db: Kysely<Database>) {
    this.#db = db
  }

  async create(session: Session): Promise<void> {
    await this.#db
      .insertInto('sessions')
      .values({
        id_hash: session.idHash,
        tenant_id: session.tenantId,
        user_id: session.userId,
        created_at: session.createdAt,
        expires_at: session.expiresAt,
      })
      .execute()
  }

  async get(idHash: string): Promise<Session | undefined> {
    const row = await this.#db.selectFrom('sessions').selectAll().where('id_hash', '=', idHash).executeTakeFirst()
    return (
      row && {
        idHash: row.id_hash,
        tenantId: row.tenant_id,
        userId: row.user_id,
        createdAt: row.created_at,
        expiresAt: row.expires_at,
      }
    )
  }

  async delete(idHash: string): Promise<void> {
    await this.#db.deleteFrom('sessions').where('id_hash', '=', idHash).execute()
  }
}
