/** @module Admin API bearer tokens over Kysely, stored as SHA-256 digests. */
import type { Kysely, Selectable } from 'kysely'
import type { AdminTokenTable, Database } from './database-schema.ts'
import type { AdminTokenRepository } from './store.ts'
import type { AdminToken } from './store-records.ts'

const toAdminToken = (row: Selectable<AdminTokenTable>): AdminToken => ({
  id: row.id,
  tenantId: row.tenant_id,
  name: row.name,
  tokenHash: row.token_hash,
  createdAt: row.created_at,
  expiresAt: row.expires_at,
  revokedAt: row.revoked_at,
})

export class KyselyAdminTokenRepository implements AdminTokenRepository {
  readonly #db: Kysely<Database>
  constructor(db: Kysely<Database>) {
    this.#db = db
  }

  async create(token: AdminToken): Promise<void> {
    await this.#db
      .insertInto('admin_tokens')
      .values({
        id: token.id,
        tenant_id: token.tenantId,
        token_hash: token.tokenHash,
        name: token.name,
        created_at: token.createdAt,
        expires_at: token.expiresAt,
        revoked_at: token.revokedAt,
      })
      .execute()
  }

  async getByHash(tokenHash: string): Promise<AdminToken | undefined> {
    const row = await this.#db
      .selectFrom('admin_tokens')
      .selectAll()
      .where('token_hash', '=', tokenHash)
      .executeTakeFirst()
    return row && toAdminToken(row)
  }

  async list(tenantId: string): Promise<AdminToken[]> {
    const rows = await this.#db
      .selectFrom('admin_tokens')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .orderBy('created_at')
      .execute()
    return rows.map(toAdminToken)
  }

  async revoke(tenantId: string, id: string, at: number): Promise<boolean> {
    const result = await this.#db
      .updateTable('admin_tokens')
      .set({ revoked_at: at })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .where('revoked_at', 'is', null)
      .executeTakeFirst()
    return result.numUpdatedRows > 0n
  }
}
