/** @module An AgentChannel without sockets, for tests of features that use the channel. */
import { IdbridgeError, type Result } from '../../errors/idbridge-error.ts'
import { type Clock, systemClock } from '../../time/clock.ts'
import type { AgentChannel, ChannelState, RequestHandler } from './agent-channel.ts'
import { AgentRequestHandlers } from './agent-request-handlers.ts'

type Responder = (type: string, body: unknown) => Promise<Result<unknown>>

/**
 * The test plays the tenant: `deliver()` hands the agent a request as the hub would, and `sent`
 * records what the agent sent, answered by `respond` (default: ok with no body).
 *
 * @example
 * const channel = new MemoryAgentChannel()
 * channel.onRequest('ping', async () => ({ ok: true, value: 'pong' }))
 * await channel.deliver('ping', {}) // { ok: true, value: 'pong' }
 */
export class MemoryAgentChannel implements AgentChannel {
  readonly sent: { type: string; body: unknown }[] = []
  readonly #handlers: AgentRequestHandlers
  readonly #respond: Responder
  #state: ChannelState = 'online'
  #delivered = 0

  constructor(options: { clock?: Clock; respond?: Responder } = {}) {
    this.#handlers = new AgentRequestHandlers({ clock: options.clock ?? systemClock })
    this.#respond = options.respond ?? (async () => ({ ok: true, value: undefined }))
  }

  get state(): ChannelState {
    return this.#state
  }

  onRequest(type: string, handler: RequestHandler): void {
    this.#handlers.on(type, handler)
  }

  async send(type: string, body: unknown): Promise<Result<unknown>> {
    if (this.#state !== 'online') {
      return { ok: false, error: new IdbridgeError('IDB_ERR_CHANNEL_CLOSED', { detail: `channel is ${this.#state}` }) }
    }
    this.sent.push({ type, body })
    return this.#respond(type, body)
  }

  /** Delivers a tenant request; the result is what the hub's `request()` would resolve with. */
  deliver(type: string, body: unknown, options: { idempotencyKey?: string } = {}): Promise<Result<unknown>> {
    this.#delivered += 1
    return this.#handlers.handle(type, body, {
      requestId: `memory-${this.#delivered}`,
      idempotencyKey: options.idempotencyKey,
    })
  }

  /** Simulates losing and regaining the connection. */
  setState(state: ChannelState): void {
    this.#state = state
  }

  async whenOnline(): Promise<boolean> {
    return this.#state === 'online'
  }

  async close(): Promise<void> {
    this.#state = 'closed'
  }
}
