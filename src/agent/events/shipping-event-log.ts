/** @module An event log that writes locally and also ships entries to the tenant when the channel is up. */
import { AGENT_EVENTS_MESSAGE, type AgentEventsBatch } from '../../protocol/agent-events-batch.ts'
import { type Clock, systemClock } from '../../time/clock.ts'
import type { AgentChannel } from '../channel/agent-channel.ts'
import type { AgentEvent, AgentEventLog } from './agent-event.ts'

// While the tenant is unreachable the local file keeps everything; the buffer only bounds memory.
const MAX_BUFFERED = 2000
const BATCH = 200

export class ShippingEventLog implements AgentEventLog {
  readonly #local: AgentEventLog
  readonly #clock: Clock
  #buffer: AgentEventsBatch['events'] = []
  #dropped = 0
  #channel: AgentChannel | undefined
  #timer: NodeJS.Timeout | undefined
  #flushing = false

  constructor(local: AgentEventLog, options: { clock?: Clock } = {}) {
    this.#local = local
    this.#clock = options.clock ?? systemClock
  }

  write(event: AgentEvent): void {
    this.#local.write(event)
    this.#buffer.push({ at: new Date(this.#clock.now()).toISOString(), ...event, message: event.message.slice(0, 4000) })
    if (this.#buffer.length > MAX_BUFFERED) {
      this.#dropped += this.#buffer.length - MAX_BUFFERED
      this.#buffer = this.#buffer.slice(-MAX_BUFFERED)
    }
  }

  /** The channel exists only after the log does, because the channel logs to it. */
  ship(channel: AgentChannel, intervalMs = 5000): void {
    this.#channel = channel
    this.#timer = setInterval(() => void this.flush(), intervalMs)
  }

  /** Sends what is buffered; on failure it stays buffered for the next try. */
  async flush(): Promise<void> {
    if (!this.#channel || this.#flushing || this.#channel.state !== 'online') return
    this.#flushing = true
    try {
      while (this.#buffer.length > 0) {
        const events = this.#buffer.slice(0, BATCH)
        const sent = await this.#channel.send(AGENT_EVENTS_MESSAGE, { events, dropped: this.#dropped } satisfies AgentEventsBatch)
        if (!sent.ok) return
        this.#buffer = this.#buffer.slice(events.length)
        this.#dropped = 0
      }
    } finally {
      this.#flushing = false
    }
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer)
    await this.flush()
  }
}
