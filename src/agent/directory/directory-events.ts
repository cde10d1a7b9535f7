/** @module The directory connector's event IDs and message shapes, in one table. */
import type { IdbridgeError } from '../../errors/idbridge-error.ts'
import type { AgentEvent, AgentEventLevel, AgentEventSource } from '../events/agent-event.ts'
import { directoryErrorData } from './classify-directory-error.ts'

/**
 * Where the reference has an ID for the situation we reuse it with its source (611 "error syncing a
 * domain", 616 "preferred DC connection failed"; reference §1.9). Everything else is idbridge's own,
 * source `idbridge`, in the private range 9000–9099 reserved for the directory connector.
 */
export const directoryEventIds = {
  domainSyncFailed: { id: 611, source: 'Directory Synchronization', level: 'error' },
  preferredDcFailed: { id: 616, source: 'Directory Synchronization', level: 'warning' },
  connected: { id: 9001, source: 'idbridge', level: 'information' },
  fullImportCompleted: { id: 9002, source: 'idbridge', level: 'information' },
  deltaImportCompleted: { id: 9003, source: 'idbridge', level: 'information' },
  userSkipped: { id: 9004, source: 'idbridge', level: 'warning' },
  dirSyncRefused: { id: 9010, source: 'idbridge', level: 'warning' },
  cookieDcUnavailable: { id: 9011, source: 'idbridge', level: 'warning' },
  watchStarted: { id: 9020, source: 'idbridge', level: 'information' },
  watchFailed: { id: 9021, source: 'idbridge', level: 'warning' },
} as const satisfies Record<string, { id: number; source: AgentEventSource; level: AgentEventLevel }>

export type DirectoryEventName = keyof typeof directoryEventIds
type EventData = Record<string, string | number | boolean | null>

/** An event of the table with a message and structured data. */
export function directoryEvent(name: DirectoryEventName, message: string, data: EventData = {}): AgentEvent {
  const { id, source, level } = directoryEventIds[name]
  return { id, source, level, message, data }
}

/** A failure event: always carries the catalogue code, the DC, the LDAP result code and the AD data code. */
export function directoryFailureEvent(name: DirectoryEventName, message: string, error: IdbridgeError): AgentEvent {
  const data = directoryErrorData(error)
  return directoryEvent(name, `${message} ${error.detail ?? error.code}`, {
    code: error.code,
    dc: data.dc,
    ldapResultCode: data.ldapResultCode,
    adDataCode: data.adDataCode,
    systemCode: data.systemCode,
  })
}
