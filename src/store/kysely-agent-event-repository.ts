/** @module Agents' shipped event logs over Kysely. */
import type { Kysely } from 'kysely'
import type { Database } from './database-schema.ts'
import { newSortableId } from './sortable-id.ts'
import type { AgentEventRepository } from './store.ts'
import type { StoredAgentEvent } from './store-records.ts'

export class KyselyAgentEventRepository implements AgentEventRepository {
  readonly #db: Kysely<Database>
  constructor(db: Kysely<Database>) {
    this.#db = db
  }

  async append(tenantId: string, events: readonly StoredAgentEvent[]): Promise<void> {
    if (events.length === 0) return
    await this.#db
      .insertInto('agent_events')
      .values(
        events.map((e) => ({
          id: newSortableId(e.at),
          tenant_id: tenantId,
          agent_id: e.agentId,
          at: e.at,
          event_id: e.eventId,
          source: e.source,
          level: e.level,
          message: e.message,
          data: JSON.stringify(e.data),
        })),
      )
      .execute()
  }

  async list(tenantId: string, q: { agentId?: string; eventId?: number; since?: number; limit: number }): Promise<StoredAgentEvent[]> {
    let query = this.#db.selectFrom('agent_events').selectAll().where('tenant_id', '=', tenantId)
    if (q.agentId !== undefined) query = query.where('agent_id', '=', q.agentId)
    if (q.eventId !== undefined) query = query.where('event_id', '=', q.eventId)
    if (q.since !== undefined) query = query.where('at', '>=', q.since)
    const rows = await query.orderBy('id', 'desc').limit(q.limit).execute()
    return rows.map((r) => ({
      agentId: r.agent_id,
      at: r.at,
      eventId: r.event_id,
      source: r.source,
      level: r.level,
      message: r.message,
      data: JSON.parse(r.data),
    }))
  }
}
