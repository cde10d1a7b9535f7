/** @module The audit log over Kysely: append-only, read newest first. */
import type { Kysely } from 'kysely'
import type { Clock } from '../time/clock.ts'
import { bulkInsert } from './bulk-insert.ts'
import type { Database } from './database-schema.ts'
import { toAuditEvent } from './row-mappers.ts'
import { newSortableId } from './sortable-id.ts'
import type { AuditRepository } from './store.ts'
import type { AuditEvent, AuditQuery, NewAuditEvent } from './store-records.ts'

export class KyselyAuditRepository implements AuditRepository {
  readonly #db: Kysely<Database>
  readonly #clock: Clock
  constructor(db: Kysely<Database>, clock: Clock) {
    this.#db = db
    this.#clock = clock
  }

  async append(event: NewAuditEvent): Promise<AuditEvent> {
    const row = this.#row(event)
    await this.#db.insertInto('audit_events').values(row).execute()
    return toAuditEvent(row)
  }

  async appendMany(events: readonly NewAuditEvent[]): Promise<void> {
    // Ids are made in order here, so the events keep their order within one millisecond.
    const rows = events.map((event) => this.#row(event))
    for (let i = 0; i < rows.length; i += 500) {
      await bulkInsert(this.#db, 'audit_events', rows.slice(i, i + 500))
    }
  }

  async list(tenantId: string, q: AuditQuery): Promise<AuditEvent[]> {
    let query = this.#db.selectFrom('audit_events').selectAll().where('tenant_id', '=', tenantId)
    if (q.activity !== undefined) query = query.where('activity', '=', q.activity)
    if (q.target !== undefined) query = query.where('target', '=', q.target)
    if (q.actor !== undefined) query = query.where('actor', '=', q.actor)
    if (q.result !== undefined) query = query.where('result', '=', q.result)
    if (q.correlationId !== undefined) query = query.where('correlation_id', '=', q.correlationId)
    if (q.since !== undefined) query = query.where('at', '>=', q.since)
    if (q.until !== undefined) query = query.where('at', '<', q.until)
    if (q.before !== undefined) query = query.where('id', '<', q.before)
    const rows = await query.orderBy('id', 'desc').limit(q.limit).execute()
    return rows.map(toAuditEvent)
  }

  #row(event: NewAuditEvent) {
    const at = event.at ?? this.#clock.now()
    return {
      id: newSortableId(at),
      tenant_id: event.tenantId,
      at,
      activity: event.activity,
      service: event.service,
      category: event.category,
      actor: event.actor,
      target: event.target,
      result: event.result,
      failure_reason: event.failureReason,
      correlation_id: event.correlationId,
      details: JSON.stringify(event.details),
    }
  }
}
