/** @module The agent's frame traffic on an open session: heartbeats, requests in, messages out, replay checks. */
import { randomUUID } from 'node:crypto'
import type WebSocket from 'ws'
import type { Result } from '../../errors/idbridge-error.ts'
import { closeCodes } from '../../protocol/channel-close-codes.ts'
import { parseFrame, type RequestFrame, type ResponseFrame, tenantToAgentFrame } from '../../protocol/channel-frames.ts'
import { failure, toResponseFields, toResult } from '../../protocol/frame-results.ts'
import type { ReplayGuard } from '../../protocol/replay-guard.ts'
import type { Clock } from '../../time/clock.ts'

export interface SessionFramesOptions {
  readonly clock: Clock
  /** Tenant time minus agent time, learned in the handshake. */
  readonly serverOffsetMs: number
  readonly heartbeatMs: number
  /** The tenant's silence limit; the agent gives up on a silent tenant after the same time. */
  readonly silenceTimeoutMs: number
  /** How long a frame the agent sends stays valid. */
  readonly messageTtlMs: number
  /** Shared across reconnects, so a frame replayed on a new connection is still caught. */
  readonly replayGuard: ReplayGuard
  /** `tenantTime` is now on the tenant's clock, for expiries the tenant set inside the body. */
  readonly onRequest: (frame: RequestFrame, tenantTime: number) => Promise<Result<unknown>>
  /** A frame the agent refused: logged as event 32003. */
  readonly onRejected: (info: { reason: string; frameId: string | null; type: string | null }) => void
}

interface Pending {
  readonly resolve: (result: Result<unknown>) => void
  readonly timer: NodeJS.Timeout
}

export class SessionFrames {
  readonly closed: Promise<{ code: number; reason: string }>
  readonly #ws: WebSocket
  readonly #options: SessionFramesOptions
  readonly #pending = new Map<string, Pending>()
  readonly #heartbeat: NodeJS.Timeout
  readonly #watchdog: NodeJS.Timeout
  #offset: number

  constructor(ws: WebSocket, options: SessionFramesOptions) {
    this.#ws = ws
    this.#options = options
    this.#offset = options.serverOffsetMs
    this.#heartbeat = setInterval(() => this.#write({ type: 'heartbeat' }), options.heartbeatMs)
    // Looser than the tenant's limit: the tenant, not the agent, decides when an agent is offline.
    this.#watchdog = setTimeout(() => ws.terminate(), options.silenceTimeoutMs + options.heartbeatMs)
    // An error is always followed by 'close', which is where the session ends.
    ws.on('error', () => {})
    ws.on('message', (data) => this.#receive(data))
    this.closed = new Promise((resolve) => {
      ws.once('close', (code, reason) => {
        clearInterval(this.#heartbeat)
        clearTimeout(this.#watchdog)
        for (const [id, pending] of this.#pending) {
          clearTimeout(pending.timer)
          pending.resolve(
            failure('IDB_ERR_AGENT_OUTCOME_UNKNOWN', `the connection closed before message ${id} was answered`),
          )
        }
        this.#pending.clear()
        resolve({ code, reason: reason.toString() })
      })
    })
  }

  /** Now on the tenant's clock. */
  serverNow(): number {
    return this.#options.clock.now() + this.#offset
  }

  send(op: string, body: unknown, timeoutMs: number): Promise<Result<unknown>> {
    const id = randomUUID()
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id)
        resolve(failure('IDB_ERR_AGENT_TIMEOUT', `no response to ${op} message ${id} within ${timeoutMs} ms`))
      }, timeoutMs)
      this.#pending.set(id, { resolve, timer })
      const ttl = Math.min(timeoutMs, this.#options.messageTtlMs)
      if (!this.#write({ id, type: 'message', op, body }, ttl)) {
        clearTimeout(timer)
        this.#pending.delete(id)
        resolve(failure('IDB_ERR_CHANNEL_CLOSED', 'the connection is not open'))
      }
    })
  }

  close(code: number = closeCodes.normal, reason = ''): void {
    this.#ws.close(code, reason)
  }

  /** Drops the TCP connection without a close handshake, as a killed process would. */
  terminate(): void {
    this.#ws.terminate()
  }

  #write(frame: Record<string, unknown>, ttlMs = this.#options.messageTtlMs): boolean {
    if (this.#ws.readyState !== this.#ws.OPEN) return false
    this.#ws.send(JSON.stringify({ id: randomUUID(), expiresAt: this.serverNow() + ttlMs, ...frame }))
    return true
  }

  #receive(data: WebSocket.RawData): void {
    this.#watchdog.refresh()
    const parsed = parseFrame(tenantToAgentFrame, data)
    if (!parsed.ok) {
      this.#options.onRejected({ reason: `malformed: ${parsed.reason}`, frameId: null, type: null })
      return
    }
    const frame = parsed.frame
    const verdict = this.#options.replayGuard.check(frame.id, frame.expiresAt, this.serverNow())
    if (verdict !== 'fresh') {
      this.#options.onRejected({ reason: verdict, frameId: frame.id, type: frame.type })
      if (frame.type === 'request') {
        const code = verdict === 'replay' ? 'IDB_ERR_CHANNEL_REPLAY' : 'IDB_ERR_CHANNEL_EXPIRED'
        this.#respond(frame.id, failure(code, `request ${frame.id} rejected: ${verdict}`))
      }
      return
    }
    switch (frame.type) {
      case 'heartbeat-ack':
        // Tracks drift of either clock during long sessions.
        this.#offset = frame.serverTime - this.#options.clock.now()
        return
      case 'request':
        void this.#options.onRequest(frame, this.serverNow()).then((result) => this.#respond(frame.id, result))
        return
      case 'response':
        this.#settle(frame)
        return
      default:
        this.#options.onRejected({ reason: 'unexpected after the handshake', frameId: frame.id, type: frame.type })
    }
  }

  #respond(replyTo: string, result: Result<unknown>): void {
    this.#write(toResponseFields(replyTo, result))
  }

  #settle(frame: ResponseFrame): void {
    const pending = this.#pending.get(frame.replyTo)
    if (!pending) {
      this.#options.onRejected({ reason: 'response to no pending message', frameId: frame.id, type: frame.type })
      return
    }
    this.#pending.delete(frame.replyTo)
    clearTimeout(pending.timer)
    pending.resolve(toResult(frame))
  }
}
