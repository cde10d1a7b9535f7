/** @module The real AgentChannel: a WebSocket over TLS to the tenant that reconnects with backoff until closed. */
import { hostname } from 'node:os'
import type { Result } from '../../errors/idbridge-error.ts'
import { fitsInFrame } from '../../protocol/channel-frames.ts'
import { failure } from '../../protocol/frame-results.ts'
import { ReplayGuard } from '../../protocol/replay-guard.ts'
import { type Clock, systemClock } from '../../time/clock.ts'
import type { AgentEventLog } from '../events/agent-event.ts'
import type { AgentChannel, ChannelState, RequestHandler } from './agent-channel.ts'
import { AgentRequestHandlers } from './agent-request-handlers.ts'
import { type AgentIdentity, type AgentSession, openAgentSession } from './agent-session.ts'
import { agentVersion } from './agent-version.ts'
import {
  cannotConnectEvent,
  clockSkewEvent,
  connectedEvent,
  disconnectedEvent,
  refusedEvent,
  rejectedFrameEvent,
} from './channel-events.ts'
import { type BackoffOptions, backoffDelay, defaultBackoff } from './reconnect-backoff.ts'

/** The reference sends one heartbeat per 5 minutes; we need offline detection within 15 s, so every 5 s. */
export const DEFAULT_HEARTBEAT_MS = 5_000
/** Frames the agent sends expire after this, measured on the tenant's clock. */
export const DEFAULT_MESSAGE_TTL_MS = 30_000
/** No frame may claim to be valid further ahead than this; it bounds the replay memory. */
export const MAX_FRAME_TTL_MS = 10 * 60_000
/**
 * Skew is tolerated (every expiry is on the tenant's clock) but named above this: Kerberos allows
 * 5 minutes, so an agent host this far off is likely to fail against AD next.
 */
export const CLOCK_SKEW_WARNING_MS = 60_000

export interface WsAgentChannelOptions {
  readonly cloudUrl: string
  readonly ca?: string | Buffer
  /** Called before every connection, so a key file replaced by rotate-keys is picked up. */
  readonly loadIdentity: () => Promise<Result<AgentIdentity>>
  readonly eventLog: AgentEventLog
  readonly clock?: Clock
  readonly host?: string
  readonly version?: string
  readonly heartbeatMs?: number
  readonly handshakeTimeoutMs?: number
  readonly messageTtlMs?: number
  readonly backoff?: Partial<BackoffOptions>
  readonly random?: () => number
}

export class WsAgentChannel implements AgentChannel {
  readonly #options: WsAgentChannelOptions
  readonly #clock: Clock
  readonly #handlers: AgentRequestHandlers
  readonly #guard = new ReplayGuard({ maxTtlMs: MAX_FRAME_TTL_MS })
  readonly #waiters = new Set<(online: boolean) => void>()
  #state: ChannelState = 'connecting'
  #session: AgentSession | undefined
  #stopped = false
  #wake: (() => void) | undefined
  #loop: Promise<void> | undefined

  constructor(options: WsAgentChannelOptions) {
    this.#options = options
    this.#clock = options.clock ?? systemClock
    this.#handlers = new AgentRequestHandlers({ clock: this.#clock })
  }

  /** Starts connecting in the background; returns at once. */
  start(): this {
    this.#loop ??= this.#run()
    return this
  }

  get state(): ChannelState {
    return this.#state
  }

  /** The connected session, for the handshake facts rotate-keys needs. */
  get session(): AgentSession | undefined {
    return this.#session
  }

  onRequest(type: string, handler: RequestHandler): void {
    this.#handlers.on(type, handler)
  }

  async send(type: string, body: unknown, options: { timeoutMs?: number } = {}): Promise<Result<unknown>> {
    if (!fitsInFrame(body)) return failure('IDB_ERR_CHANNEL_INVALID', `the ${type} body is larger than one channel frame`)
    const session = this.#session
    if (!session) return failure('IDB_ERR_CHANNEL_CLOSED', `the channel is ${this.#state}`)
    return session.frames.send(type, body, options.timeoutMs ?? DEFAULT_MESSAGE_TTL_MS)
  }

  whenOnline(timeoutMs: number): Promise<boolean> {
    if (this.#state === 'online') return Promise.resolve(true)
    if (this.#state === 'closed') return Promise.resolve(false)
    return new Promise((resolve) => {
      const done = (online: boolean) => {
        clearTimeout(timer)
        this.#waiters.delete(done)
        resolve(online)
      }
      const timer = setTimeout(() => done(false), timeoutMs)
      this.#waiters.add(done)
    })
  }

  async close(): Promise<void> {
    this.#stopped = true
    this.#session?.frames.close()
    this.#wake?.()
    await this.#loop
    this.#setState('closed')
  }

  /** Drops the connection without a close handshake and stops, as if the agent process were killed. */
  async terminate(): Promise<void> {
    this.#stopped = true
    this.#session?.frames.terminate()
    this.#wake?.()
    await this.#loop
    this.#setState('closed')
  }

  async #run(): Promise<void> {
    const o = this.#options
    const backoff = { ...defaultBackoff, ...o.backoff }
    let attempt = 0
    while (!this.#stopped) {
      attempt += 1
      const identity = await o.loadIdentity()
      const opened = identity.ok ? await this.#open(identity.value) : identity
      if (this.#stopped) {
        if (opened.ok) opened.value.frames.close()
        break
      }
      if (!opened.ok) {
        const retryInMs = backoffDelay(attempt, backoff, o.random)
        const error = opened.error.detail ?? opened.error.code
        o.eventLog.write(
          opened.error.code === 'IDB_ERR_AGENT_UNKNOWN_KEY'
            ? refusedEvent({ cloudUrl: o.cloudUrl, agentId: identity.ok ? identity.value.agentId : 'unknown', error })
            : cannotConnectEvent({ cloudUrl: o.cloudUrl, attempt, retryInMs, error }),
        )
        await this.#pause(retryInMs)
        continue
      }
      const session = opened.value
      this.#session = session
      o.eventLog.write(connectedEvent({ cloudUrl: o.cloudUrl, agentId: session.agentId, node: session.node, attempt }))
      const skewMs = this.#clock.now() - session.frames.serverNow()
      if (Math.abs(skewMs) > CLOCK_SKEW_WARNING_MS) o.eventLog.write(clockSkewEvent({ cloudUrl: o.cloudUrl, skewMs }))
      this.#setState('online')
      attempt = 0
      const closed = await session.frames.closed
      this.#session = undefined
      if (this.#stopped) break
      this.#setState('connecting')
      o.eventLog.write(disconnectedEvent({ cloudUrl: o.cloudUrl, ...closed }))
      // Even the first retry waits a random moment, so agents dropped together do not return together.
      await this.#pause(backoffDelay(1, backoff, o.random))
    }
  }

  #open(identity: AgentIdentity): Promise<Result<AgentSession>> {
    const o = this.#options
    return openAgentSession({
      cloudUrl: o.cloudUrl,
      ca: o.ca,
      identity,
      host: o.host ?? hostname(),
      version: o.version ?? agentVersion,
      purpose: 'serve',
      clock: this.#clock,
      handshakeTimeoutMs: o.handshakeTimeoutMs ?? 10_000,
      heartbeatMs: o.heartbeatMs ?? DEFAULT_HEARTBEAT_MS,
      messageTtlMs: o.messageTtlMs ?? DEFAULT_MESSAGE_TTL_MS,
      replayGuard: this.#guard,
      onRequest: (frame, tenantTime) =>
        this.#handlers.handle(frame.op, frame.body, {
          requestId: frame.id,
          idempotencyKey: frame.idempotencyKey,
          tenantTime,
        }),
      onRejected: (info) => o.eventLog.write(rejectedFrameEvent(info)),
    })
  }

  #pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms)
      function done() {
        clearTimeout(timer)
        resolve()
      }
      this.#wake = done
    })
  }

  #setState(state: ChannelState): void {
    this.#state = state
    if (state === 'connecting') return
    for (const waiter of [...this.#waiters]) waiter(state === 'online')
  }
}
