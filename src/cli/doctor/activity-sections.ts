/** @module The latest audit entries and shipped agent events, field by field. */
import type { AuditEvent, StoredAgentEvent } from '../../store/store-records.ts'
import { type DoctorSection, iso, section } from './doctor-report.ts'
import { safeFields } from './safe-fields.ts'
import { scrubText } from './scrub-text.ts'

/**
 * What someone typed as a user name that matched no user stays out: people type their password
 * into the user name box, and the audit log keeps what was typed.
 */
const typedName = (e: AuditEvent, value: string | null, max: number) =>
  value === null ? null : e.failureReason === 'UserNotFound' ? '[not a known user]' : scrubText(value, max)

export function auditSection(events: readonly AuditEvent[]): DoctorSection {
  const failures = events.filter((e) => e.result === 'failure').length
  const data = events.map((e) => {
    const details = safeFields(e.details)
    return {
      at: iso(e.at),
      activity: scrubText(e.activity, 120),
      service: scrubText(e.service, 80),
      category: scrubText(e.category, 80),
      actor: typedName(e, e.actor, 120),
      target: typedName(e, e.target, 200),
      result: e.result,
      failureReason: e.failureReason === null ? null : scrubText(e.failureReason, 200),
      supportCode: scrubText(e.correlationId, 100),
      details: details.fields,
      ...(details.omitted.length ? { omittedDetails: details.omitted } : {}),
    }
  })
  return section(`${events.length} latest audit entries, ${failures} failures`, data)
}

/** One event, from the tenant's copy or the agent's own file; the message is free text and is scrubbed. */
export function eventView(e: { at: string | number; id: number; source: string; level: string; message: string; data?: Readonly<Record<string, unknown>> }) {
  const data = safeFields(e.data)
  return {
    at: typeof e.at === 'number' ? iso(e.at) : scrubText(e.at, 40),
    id: e.id,
    source: scrubText(e.source, 60),
    level: scrubText(e.level, 20),
    message: scrubText(e.message, 500),
    data: data.fields,
    ...(data.omitted.length ? { omittedData: data.omitted } : {}),
  }
}

export function agentEventsSection(events: readonly StoredAgentEvent[]): DoctorSection {
  const errors = events.filter((e) => e.level === 'error').length
  const data = events.map((e) => ({ agentId: e.agentId, ...eventView({ ...e, id: e.eventId }) }))
  return section(`${events.length} latest agent events shipped to the tenant, ${errors} errors`, data)
}
