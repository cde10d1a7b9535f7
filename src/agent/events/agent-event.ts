/** @module The agent's event log seam: the reference's sources, IDs and message shapes. */

/** The Windows event sources the reference uses; operators search for them by name. */
export type AgentEventSource = 'ADSync' | 'PasswordResetService' | 'Directory Synchronization' | 'idbridge'

export type AgentEventLevel = 'information' | 'warning' | 'error'

export interface AgentEvent {
  /** The reference's event ID, e.g. 31018, 33004, 611, 656. */
  readonly id: number
  readonly source: AgentEventSource
  readonly level: AgentEventLevel
  /** The reference's message shape, e.g. `Password Change Result - Anchor: …, Dn: …, Result: Success.` */
  readonly message: string
  /** Structured fields: DC, LDAP result code, AD data code, DN, tracking id. Never a secret. */
  readonly data?: Readonly<Record<string, string | number | boolean | null>>
}

/** Where the agent writes events; the real one is a rotating JSON-lines file shipped to the tenant. */
export interface AgentEventLog {
  write(event: AgentEvent): void
}

/** A log that keeps events in memory, for tests. */
export class MemoryEventLog implements AgentEventLog {
  readonly events: AgentEvent[] = []
  write(event: AgentEvent): void {
    this.events.push(event)
  }
}
