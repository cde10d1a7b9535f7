/** @module The cross-node wake-up seam: PostgreSQL LISTEN/NOTIFY between tenant nodes, an in-process bus for one node. */
import { EventEmitter } from 'node:events'

/**
 * Tells other tenant nodes (or this one) that something is waiting for them. Payloads are small ids,
 * never secrets; a lost wake-up only costs latency because waiters also poll the store.
 */
export interface WakeUps {
  publish(topic: string, payload: string): Promise<void>
  /** Returns the function that unsubscribes. */
  subscribe(topic: string, listener: (payload: string) => void): () => void
  close(): Promise<void>
}

/** One node, e.g. the embedded SQLite store: every subscriber is in this process. */
export class LocalWakeUps implements WakeUps {
  readonly #bus = new EventEmitter().setMaxListeners(0)

  async publish(topic: string, payload: string): Promise<void> {
    // Asynchronous like a real notification, so a publisher never runs its subscribers inline.
    setImmediate(() => this.#bus.emit(topic, payload))
  }

  subscribe(topic: string, listener: (payload: string) => void): () => void {
    this.#bus.on(topic, listener)
    return () => this.#bus.off(topic, listener)
  }

  async close(): Promise<void> {
    this.#bus.removeAllListeners()
  }
}
