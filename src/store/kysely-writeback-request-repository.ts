/** @module The writeback relay's requests over Kysely: ciphertext in, result out, nothing kept after. */
import type { Kysely } from 'kysely'
import type { Database, WritebackRequestTable } from './database-schema.ts'
import type { WritebackRequest, WritebackStatus } from './sspr-records.ts'
import type { WritebackRequestRepository } from './store.ts'

const toRecord = (row: WritebackRequestTable): WritebackRequest => ({
  id: row.id,
  tenantId: row.tenant_id,
  agentId: row.agent_id,
  node: row.node,
  operation: row.operation,
  envelope: row.envelope,
  status: row.status as WritebackStatus,
  result: row.result,
  createdAt: row.created_at,
  expiresAt: row.expires_at,
})

export class KyselyWritebackRequestRepository implements WritebackRequestRepository {
  readonly #db: Kysely<Database>
  constructor(db: Kysely<Database>) {
    this.#db = db
  }

  async create(request: WritebackRequest): Promise<void> {
    await this.#db
      .insertInto('writeback_requests')
      .values({
        id: request.id,
        tenant_id: request.tenantId,
        agent_id: request.agentId,
        node: request.node,
        operation: request.operation,
        envelope: request.envelope,
        status: request.status,
        result: request.result,
        created_at: request.createdAt,
        expires_at: request.expiresAt,
      })
      .execute()
  }

  async get(id: string): Promise<WritebackRequest | undefined> {
    const row = await this.#db.selectFrom('writeback_requests').selectAll().where('id', '=', id).executeTakeFirst()
    return row && toRecord(row)
  }

  async claim(id: string, node: string, now: number): Promise<WritebackRequest | undefined> {
    // One conditional update decides the winner: a request is dispatched at most once, whoever is notified.
    const updated = await this.#db
      .updateTable('writeback_requests')
      .set({ status: 'dispatched' })
      .where('id', '=', id)
      .where('node', '=', node)
      .where('status', '=', 'pending')
      .where('expires_at', '>', now)
      .executeTakeFirst()
    if (Number(updated.numUpdatedRows) !== 1) return undefined
    return this.get(id)
  }

  async complete(id: string, result: string): Promise<void> {
    await this.#db
      .updateTable('writeback_requests')
      .set({ status: 'done', result, envelope: null })
      .where('id', '=', id)
      .execute()
  }

  async delete(id: string): Promise<void> {
    await this.#db.deleteFrom('writeback_requests').where('id', '=', id).execute()
  }

  async deleteExpired(now: number): Promise<number> {
    const result = await this.#db.deleteFrom('writeback_requests').where('expires_at', '<=', now).executeTakeFirst()
    return Number(result.numDeletedRows)
  }
}
