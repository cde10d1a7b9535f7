/** @module The tenant's side of one agent socket: challenge, signature check, silence watchdog, frames. */
import { randomBytes, randomUUID } from 'node:crypto'
import type { Logger } from 'pino'
import type WebSocket from 'ws'
import type { Result } from '../../errors/idbridge-error.ts'
import { closeCodes } from '../../protocol/channel-close-codes.ts'
import { agentToTenantFrame, type HelloFrame, parseFrame, type ResponseFrame } from '../../protocol/channel-frames.ts'
import { failure, toResponseFields, toResult } from '../../protocol/frame-results.ts'
import { challengeText, verifyText } from '../../protocol/handshake-signature.ts'
import type { ReplayGuard } from '../../protocol/replay-guard.ts'
import type { Store } from '../../store/store.ts'
import type { Clock } from '../../time/clock.ts'

/** An authenticated agent connection, as message handlers and `online()` see it. */
export interface HubSessionInfo {
  readonly sessionId: string
  readonly agentId: string
  readonly tenantId: string
  readonly host: string
  readonly version: string
  readonly purpose: 'serve' | 'control'
  /** The origin and nonce the agent signed; rotate-keys binds its proof to them. */
  readonly origin: string
  readonly nonce: string
  readonly connectedAt: number
}

/** What a session needs from its hub. */
export interface HubSessionContext {
  readonly store: Store
  readonly clock: Clock
  readonly logger: Logger
  readonly nodeId: string
  readonly origins: Set<string>
  readonly silenceTimeoutMs: number
  readonly handshakeTimeoutMs: number
  readonly messageTtlMs: number
  guardFor(agentId: string): ReplayGuard
  authenticated(session: HubSession): void
  heartbeat(session: HubSession): void
  message(session: HubSession, op: string, body: unknown): Promise<Result<unknown>>
  ended(session: HubSession, code: number): void
}

interface Pending {
  readonly resolve: (result: Result<unknown>) => void
  readonly timer: NodeJS.Timeout
}

export class HubSession {
  info: HubSessionInfo | undefined
  readonly #ws: WebSocket
  readonly #ctx: HubSessionContext
  readonly #remote: string
  readonly #nonce = randomBytes(32).toString('base64url')
  readonly #pending = new Map<string, Pending>()
  #timer: NodeJS.Timeout
  #verifying = false

  constructor(ws: WebSocket, ctx: HubSessionContext, remote: string) {
    this.#ws = ws
    this.#ctx = ctx
    this.#remote = remote
    this.#timer = setTimeout(() => this.#expire(), ctx.handshakeTimeoutMs)
    ws.on('error', (error) => ctx.logger.debug({ remote, err: error.message }, 'agent socket error'))
    ws.on('message', (data) => void this.#receive(data))
    ws.once('close', (code) => this.#closed(code))
    const now = ctx.clock.now()
    this.#write({ type: 'challenge', nonce: this.#nonce, serverTime: now }, ctx.handshakeTimeoutMs)
  }

  get inFlight(): number {
    return this.#pending.size
  }

  get isOpen(): boolean {
    return this.#ws.readyState === this.#ws.OPEN
  }

  /** Sends one request to this agent; every way it can end is a Result, and none of them retries. */
  request(
    op: string,
    body: unknown,
    options: { timeoutMs: number; idempotencyKey?: string },
  ): Promise<Result<unknown>> {
    const id = randomUUID()
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id)
        resolve(
          failure(
            'IDB_ERR_AGENT_TIMEOUT',
            `agent ${this.info?.agentId} did not answer ${op} request ${id} within ${options.timeoutMs} ms`,
          ),
        )
      }, options.timeoutMs)
      this.#pending.set(id, { resolve, timer })
      const frame = { id, type: 'request', op, body, idempotencyKey: options.idempotencyKey }
      if (!this.#write(frame, Math.min(options.timeoutMs, 10 * 60_000))) {
        clearTimeout(timer)
        this.#pending.delete(id)
        resolve(failure('IDB_ERR_AGENT_OFFLINE', `agent ${this.info?.agentId} disconnected before ${op} was sent`))
      }
    })
  }

  close(code: number, reason: string): void {
    this.#ws.close(code, reason)
  }

  terminate(): void {
    this.#ws.terminate()
  }

  #write(frame: Record<string, unknown>, ttlMs = this.#ctx.messageTtlMs): boolean {
    if (this.#ws.readyState !== this.#ws.OPEN) return false
    this.#ws.send(JSON.stringify({ id: randomUUID(), expiresAt: this.#ctx.clock.now() + ttlMs, ...frame }))
    return true
  }

  /** Before the handshake this timer is the handshake deadline; after it, the silence watchdog. */
  #expire(): void {
    if (!this.info) {
      this.#ctx.logger.warn({ remote: this.#remote }, 'agent handshake timed out')
      this.close(closeCodes.handshakeTimeout, 'handshake timeout')
      return
    }
    this.#ctx.logger.warn(
      { agentId: this.info.agentId, silenceMs: this.#ctx.silenceTimeoutMs },
      'agent silent: marking it offline',
    )
    this.#ws.terminate()
  }

  async #receive(data: WebSocket.RawData): Promise<void> {
    const parsed = parseFrame(agentToTenantFrame, data)
    const log = this.#ctx.logger
    if (!this.info) {
      if (this.#verifying) return this.close(closeCodes.protocolError, 'frame before welcome')
      if (!parsed.ok || parsed.frame.type !== 'hello') {
        log.warn(
          { remote: this.#remote, reason: parsed.ok ? parsed.frame.type : parsed.reason },
          'agent handshake refused: expected hello',
        )
        return this.close(closeCodes.protocolError, 'expected hello')
      }
      this.#verifying = true
      return this.#authenticate(parsed.frame)
    }
    const agentId = this.info.agentId
    this.#timer.refresh()
    if (!parsed.ok) return log.warn({ agentId, reason: parsed.reason }, 'channel frame rejected: malformed')
    const frame = parsed.frame
    const verdict = this.#ctx.guardFor(agentId).check(frame.id, frame.expiresAt, this.#ctx.clock.now())
    if (verdict !== 'fresh') {
      log.warn(
        { agentId, frameId: frame.id, type: frame.type, verdict, code: verdictCode(verdict) },
        `channel frame rejected: ${verdict}`,
      )
      if (frame.type === 'message')
        this.#respond(frame.id, failure(verdictCode(verdict), `message ${frame.id}: ${verdict}`))
      return
    }
    switch (frame.type) {
      case 'heartbeat':
        this.#write({ type: 'heartbeat-ack', replyTo: frame.id, serverTime: this.#ctx.clock.now() })
        return this.#ctx.heartbeat(this)
      case 'message':
        return this.#respond(frame.id, await this.#ctx.message(this, frame.op, frame.body))
      case 'response':
        return this.#settle(frame)
      default:
        log.warn({ agentId, type: frame.type }, 'channel frame rejected: unexpected after the handshake')
    }
  }

  async #authenticate(hello: HelloFrame): Promise<void> {
    const ctx = this.#ctx
    const now = ctx.clock.now()
    const refuse = (reason: string) => {
      // One reason on the wire for every case, so a prober cannot tell unknown agents from bad signatures.
      ctx.logger.warn(
        { remote: this.#remote, agentId: hello.agentId, reason, code: 'IDB_ERR_AGENT_UNKNOWN_KEY' },
        'agent handshake refused',
      )
      this.close(closeCodes.policy, 'agent not recognised')
    }
    if (!ctx.origins.has(hello.origin)) return refuse(`signed for origin ${hello.origin}, not this tenant service`)
    if (hello.expiresAt <= now) return refuse('hello expired')
    const agent = await ctx.store.agents.get(hello.agentId)
    if (!agent) return refuse('unknown agent id')
    if (agent.revokedAt !== null) return refuse('agent revoked')
    const text = challengeText({ origin: hello.origin, agentId: agent.id, nonce: this.#nonce })
    if (!verifyText(agent.identityPublicKey, text, hello.signature))
      return refuse('signature does not match the registered identity key')
    if (ctx.guardFor(agent.id).check(hello.id, hello.expiresAt, now) !== 'fresh') return refuse('hello replayed')
    if (!this.isOpen) return
    this.info = {
      sessionId: randomUUID(),
      agentId: agent.id,
      tenantId: agent.tenantId,
      host: hello.host,
      version: hello.version,
      purpose: hello.purpose,
      origin: hello.origin,
      nonce: this.#nonce,
      connectedAt: now,
    }
    // From here on the timer is the silence watchdog (refresh() keeps a timer's first delay, so make a new one).
    clearTimeout(this.#timer)
    this.#timer = setTimeout(() => this.#expire(), ctx.silenceTimeoutMs)
    ctx.authenticated(this)
    this.#write({
      type: 'welcome',
      tenantId: agent.tenantId,
      node: ctx.nodeId,
      serverTime: ctx.clock.now(),
      silenceTimeoutMs: ctx.silenceTimeoutMs,
    })
  }

  #respond(replyTo: string, result: Result<unknown>): void {
    this.#write(toResponseFields(replyTo, result))
  }

  #settle(frame: ResponseFrame): void {
    const pending = this.#pending.get(frame.replyTo)
    if (!pending) {
      this.#ctx.logger.warn(
        { agentId: this.info?.agentId, replyTo: frame.replyTo },
        'channel response to no pending request (late or forged)',
      )
      return
    }
    this.#pending.delete(frame.replyTo)
    clearTimeout(pending.timer)
    pending.resolve(toResult(frame))
  }

  #closed(code: number): void {
    clearTimeout(this.#timer)
    for (const [id, pending] of this.#pending) {
      clearTimeout(pending.timer)
      pending.resolve(
        failure(
          'IDB_ERR_AGENT_OUTCOME_UNKNOWN',
          `agent ${this.info?.agentId} disconnected (${code}) after request ${id} was sent`,
        ),
      )
    }
    this.#pending.clear()
    if (this.info) this.#ctx.ended(this, code)
  }
}

function verdictCode(verdict: string): 'IDB_ERR_CHANNEL_REPLAY' | 'IDB_ERR_CHANNEL_EXPIRED' {
  return verdict === 'replay' ? 'IDB_ERR_CHANNEL_REPLAY' : 'IDB_ERR_CHANNEL_EXPIRED'
}
