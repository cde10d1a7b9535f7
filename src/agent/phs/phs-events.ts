/** @module Password hash sync's event IDs and message shapes (reference §1.9, source "Directory Synchronization"). */
import type { IdbridgeError } from '../../errors/idbridge-error.ts'
import type { AgentEvent, AgentEventLevel } from '../events/agent-event.ts'

export const phsEventIds = {
  retryQueued: { id: 605, level: 'warning' },
  retryCleared: { id: 606, level: 'information' },
  domainSyncFailed: { id: 611, level: 'error' },
  pausedForDirectorySync: { id: 613, level: 'information' },
  preferredDcFailed: { id: 616, level: 'warning' },
  fullSyncStartedForest: { id: 617, level: 'information' },
  fullSyncStartedDomain: { id: 618, level: 'information' },
  fullSyncProgress: { id: 619, level: 'information' },
  noRetryReported: { id: 620, level: 'warning' },
  fullSyncFailed: { id: 621, level: 'error' },
  fullSyncCompletedDomain: { id: 622, level: 'information' },
  fullSyncCompletedForest: { id: 623, level: 'information' },
  batchStart: { id: 650, level: 'information' },
  batchEnd: { id: 651, level: 'information' },
  batchError: { id: 652, level: 'error' },
  pingStart: { id: 653, level: 'information' },
  pingEnd: { id: 654, level: 'information' },
  pingError: { id: 655, level: 'error' },
  changeRequest: { id: 656, level: 'information' },
  changeResult: { id: 657, level: 'information' },
} as const satisfies Record<string, { id: number; level: AgentEventLevel }>

export type PhsEventName = keyof typeof phsEventIds
type EventData = Record<string, string | number | boolean | null>

export function phsEvent(name: PhsEventName, message: string, data: EventData = {}, level?: AgentEventLevel): AgentEvent {
  const known = phsEventIds[name]
  return { id: known.id, source: 'Directory Synchronization', level: level ?? known.level, message, data }
}

/** A failure event: the catalogue code, its cause and fix, and whatever the DRS layer knew (DC, WERROR). */
export function phsFailureEvent(name: PhsEventName, message: string, error: IdbridgeError): AgentEvent {
  const data: EventData = { code: error.code }
  for (const [key, value] of Object.entries(error.data ?? {})) {
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') data[key] = value
  }
  return phsEvent(name, `${message} ${error.code}: ${error.detail ?? error.message}`, data)
}

/** The reference's `MM/dd/yyyy HH:mm:ss` change date, in UTC. */
export function referenceChangeDate(at: Date): string {
  const p = (n: number) => String(n).padStart(2, '0')
  return (
    `${p(at.getUTCMonth() + 1)}/${p(at.getUTCDate())}/${at.getUTCFullYear()} ` +
    `${p(at.getUTCHours())}:${p(at.getUTCMinutes())}:${p(at.getUTCSeconds())}`
  )
}
