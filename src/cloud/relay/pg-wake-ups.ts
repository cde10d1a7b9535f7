/** @module Wake-ups between tenant nodes over PostgreSQL LISTEN/NOTIFY, on one dedicated connection. */
import { EventEmitter } from 'node:events'
import pg from 'pg'
import type { Logger } from 'pino'
import type { WakeUps } from './wake-ups.ts'

/**
 * Every node LISTENs on one channel per store; the topic travels inside the payload. The channel
 * name carries the schema so that test runs sharing a server do not wake each other.
 */
export class PgWakeUps implements WakeUps {
  readonly #url: string
  readonly #channel: string
  readonly #logger: Logger
  readonly #bus = new EventEmitter().setMaxListeners(0)
  #client: pg.Client | undefined
  #connecting: Promise<pg.Client> | undefined
  #closed = false

  constructor(options: { url: string; schema?: string; logger: Logger }) {
    this.#url = options.url
    this.#channel = `idbridge_${(options.schema ?? 'public').replace(/[^a-z0-9_]/gi, '_')}`.slice(0, 63)
    this.#logger = options.logger.child({ component: 'pg-wake-ups' })
  }

  /** Resolves once this node is listening, so nothing published after it is missed. */
  async start(): Promise<this> {
    await this.#connect()
    return this
  }

  async publish(topic: string, payload: string): Promise<void> {
    const client = await this.#connect()
    await client.query('select pg_notify($1, $2)', [this.#channel, JSON.stringify([topic, payload])])
  }

  subscribe(topic: string, listener: (payload: string) => void): () => void {
    this.#bus.on(topic, listener)
    return () => this.#bus.off(topic, listener)
  }

  async close(): Promise<void> {
    this.#closed = true
    this.#bus.removeAllListeners()
    await this.#client?.end().catch(() => undefined)
  }

  #connect(): Promise<pg.Client> {
    if (this.#client) return Promise.resolve(this.#client)
    this.#connecting ??= (async () => {
      const client = new pg.Client({ connectionString: this.#url })
      client.on('notification', (message) => this.#deliver(message.payload))
      // A dropped connection is re-opened; waiters poll meanwhile, so nothing is lost, only slower.
      client.on('error', (err) => this.#logger.warn({ err }, 'wake-up connection failed'))
      client.on('end', () => {
        this.#client = undefined
        if (!this.#closed) setTimeout(() => void this.#connect().catch(() => undefined), 1000).unref()
      })
      try {
        await client.connect()
        await client.query(`listen ${this.#channel}`)
      } catch (error) {
        await client.end().catch(() => undefined)
        throw error
      }
      this.#client = client
      return client
    })().finally(() => {
      this.#connecting = undefined
    })
    return this.#connecting
  }

  #deliver(payload: string | undefined): void {
    try {
      const [topic, data] = JSON.parse(payload ?? '') as [string, string]
      this.#bus.emit(topic, data)
    } catch {
      this.#logger.warn('ignored a malformed wake-up')
    }
  }
}
