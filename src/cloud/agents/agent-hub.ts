/** @module The tenant's WebSocket hub: accepts agent connections and sends each request to exactly one online agent. */
import { randomUUID } from 'node:crypto'
import type { IncomingMessage } from 'node:http'
import { hostname } from 'node:os'
import type { Duplex } from 'node:stream'
import type { Logger } from 'pino'
import { WebSocketServer } from 'ws'
import type { Result } from '../../errors/idbridge-error.ts'
import { closeCodes } from '../../protocol/channel-close-codes.ts'
import { CHANNEL_PATH, fitsInFrame, MAX_FRAME_BYTES } from '../../protocol/channel-frames.ts'
import { failure } from '../../protocol/frame-results.ts'
import { ROTATE_KEYS_OP } from '../../protocol/registration-messages.ts'
import { ReplayGuard } from '../../protocol/replay-guard.ts'
import type { Store } from '../../store/store.ts'
import type { AgentState } from '../../store/store-records.ts'
import { type Clock, systemClock } from '../../time/clock.ts'
import { HubSession, type HubSessionContext, type HubSessionInfo } from './hub-session.ts'
import { rotateKeysHandler } from './rotate-keys-handler.ts'

/** Three missed 5 s heartbeats minus a margin for the database write: offline within 15 s of silence. */
export const DEFAULT_SILENCE_TIMEOUT_MS = 14_000
const MAX_TTL_MS = 10 * 60_000

/** Handles one agent → tenant message type; the Result becomes the agent's response. */
export type MessageHandler = (agent: HubSessionInfo, body: unknown) => Promise<Result<unknown>>

export interface AgentHubOptions {
  readonly store: Store
  readonly logger: Logger
  /**
   * Origins (scheme://host:port) agents may sign for: the public URL and the names the certificate
   * covers. A server on port 0 learns them after listening and adds them with `allowOrigins`.
   */
  readonly origins?: readonly string[]
  readonly clock?: Clock
  /** Written to agents.connected_node so that a later multi-node hub can find the node holding a socket. */
  readonly nodeId?: string
  readonly silenceTimeoutMs?: number
  readonly handshakeTimeoutMs?: number
  readonly messageTtlMs?: number
}

export interface RequestOptions {
  readonly timeoutMs: number
  /** Passed to the agent, which returns its recorded result for a key it has already processed. */
  readonly idempotencyKey?: string
}

/**
 * @example
 * const hub = new AgentHub({ store, logger, origins: ['https://idbridge.example'] })
 * server.on('upgrade', (req, socket, head) => hub.handleUpgrade(req, socket, head))
 * hub.onMessage('sync.batch', async (agent, body) => ({ ok: true, value: await importBatch(agent.tenantId, body) }))
 * const reset = await hub.request(tenantId, 'password.reset', payload, { timeoutMs: 20_000, idempotencyKey })
 */
export class AgentHub {
  readonly #wss = new WebSocketServer({
    noServer: true,
    maxPayload: MAX_FRAME_BYTES,
    perMessageDeflate: false,
    clientTracking: false,
  })
  readonly #ctx: HubSessionContext
  readonly #sessions = new Set<HubSession>()
  /** Authenticated `serve` sessions by agent id: the dispatch pool. */
  readonly #serving = new Map<string, HubSession>()
  readonly #handlers = new Map<string, MessageHandler>()
  readonly #guards = new Map<string, ReplayGuard>()
  readonly #writes = new Map<string, Promise<void>>()
  #turn = 0
  #closed = false

  constructor(options: AgentHubOptions) {
    const logger = options.logger.child({ component: 'agent-hub' })
    this.#ctx = {
      store: options.store,
      clock: options.clock ?? systemClock,
      logger,
      nodeId: options.nodeId ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`,
      origins: new Set(options.origins ?? []),
      silenceTimeoutMs: options.silenceTimeoutMs ?? DEFAULT_SILENCE_TIMEOUT_MS,
      handshakeTimeoutMs: options.handshakeTimeoutMs ?? 10_000,
      messageTtlMs: options.messageTtlMs ?? 30_000,
      guardFor: (agentId) => this.#guardFor(agentId),
      authenticated: (session) => this.#authenticated(session),
      heartbeat: (session) => this.#seen(session, 'online'),
      message: (session, op, body) => this.#message(session, op, body),
      ended: (session, code) => this.#ended(session, code),
    }
    this.onMessage(
      ROTATE_KEYS_OP,
      rotateKeysHandler({
        store: options.store,
        logger,
        rotated: (agentId, except) => this.disconnectAgent(agentId, closeCodes.keysRotated, 'keys rotated', except),
      }),
    )
  }

  /** For the https server's 'upgrade' event; anything but the channel path is refused. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const pathname = new URL(req.url ?? '/', 'https://upgrade.invalid').pathname
    if (this.#closed || pathname !== CHANNEL_PATH) {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n')
      return
    }
    this.#wss.handleUpgrade(req, socket, head, (ws) => {
      const session = new HubSession(ws, this.#ctx, req.socket.remoteAddress ?? 'unknown')
      this.#sessions.add(session)
      ws.once('close', () => this.#sessions.delete(session))
    })
  }

  allowOrigins(origins: readonly string[]): void {
    for (const origin of origins) this.#ctx.origins.add(origin)
  }

  /** One handler per type; a second registration is a programmer error. */
  onMessage(type: string, handler: MessageHandler): void {
    if (this.#handlers.has(type)) throw new Error(`a handler for ${type} is already registered`)
    this.#handlers.set(type, handler)
  }

  /**
   * Sends to exactly one online agent of the tenant (fewest requests in flight, round robin on ties).
   * Fails with IDB_ERR_AGENT_OFFLINE (nothing sent), IDB_ERR_AGENT_TIMEOUT or
   * IDB_ERR_AGENT_OUTCOME_UNKNOWN (sent, outcome unknown: never retried here).
   */
  request(tenantId: string, type: string, body: unknown, options: RequestOptions): Promise<Result<unknown>> {
    if (!fitsInFrame(body)) {
      return Promise.resolve(failure('IDB_ERR_CHANNEL_INVALID', `the ${type} body is larger than one channel frame`))
    }
    const session = this.#pick(tenantId)
    if (!session) return Promise.resolve(failure('IDB_ERR_AGENT_OFFLINE', `no agent of tenant ${tenantId} is online`))
    this.#ctx.logger.debug({ agentId: session.info?.agentId, type }, 'request dispatched to agent')
    return session.request(type, body, options)
  }

  /** The agent `request` would choose now, without sending anything: the relay seals for its key first. */
  pick(tenantId: string): HubSessionInfo | undefined {
    return this.#pick(tenantId)?.info
  }

  /** Sends to one named agent connected to this node; IDB_ERR_AGENT_OFFLINE when it is not. */
  requestAgent(agentId: string, type: string, body: unknown, options: RequestOptions): Promise<Result<unknown>> {
    const session = this.#serving.get(agentId)
    if (!session?.isOpen) {
      return Promise.resolve(failure('IDB_ERR_AGENT_OFFLINE', `agent ${agentId} is not connected to this node`))
    }
    if (!fitsInFrame(body)) {
      return Promise.resolve(failure('IDB_ERR_CHANNEL_INVALID', `the ${type} body is larger than one channel frame`))
    }
    return session.request(type, body, options)
  }

  /** This node's name in agents.connected_node. */
  get nodeId(): string {
    return this.#ctx.nodeId
  }

  /** The agents connected to this node for a tenant. */
  online(tenantId: string): HubSessionInfo[] {
    return [...this.#serving.values()].flatMap((s) => (s.info?.tenantId === tenantId && s.isOpen ? [s.info] : []))
  }

  /** Closes every connection of an agent, e.g. after its keys changed or it was revoked. */
  disconnectAgent(agentId: string, code: number, reason: string, exceptSessionId?: string): number {
    let closed = 0
    for (const session of this.#sessions) {
      if (session.info?.agentId !== agentId || session.info.sessionId === exceptSessionId) continue
      session.close(code, reason)
      closed += 1
    }
    return closed
  }

  /** Refuses new connections, closes the open ones and waits for their offline marks to be written. */
  async close(): Promise<void> {
    this.#closed = true
    for (const session of this.#sessions) session.close(closeCodes.goingAway, 'tenant service stopping')
    const deadline = Date.now() + 2000
    while (this.#sessions.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10))
    for (const session of this.#sessions) session.terminate()
    await Promise.all(this.#writes.values())
    this.#wss.close()
  }

  #pick(tenantId: string): HubSession | undefined {
    let best: HubSession[] = []
    for (const session of this.#serving.values()) {
      if (session.info?.tenantId !== tenantId || !session.isOpen) continue
      if (best.length === 0 || session.inFlight < best[0]!.inFlight) best = [session]
      else if (session.inFlight === best[0]!.inFlight) best.push(session)
    }
    this.#turn = (this.#turn + 1) % 1_000_000
    return best[this.#turn % best.length]
  }

  #guardFor(agentId: string): ReplayGuard {
    let guard = this.#guards.get(agentId)
    if (!guard) {
      guard = new ReplayGuard({ maxTtlMs: MAX_TTL_MS })
      this.#guards.set(agentId, guard)
    }
    return guard
  }

  #authenticated(session: HubSession): void {
    const info = session.info!
    this.#ctx.logger.info(
      { agentId: info.agentId, tenantId: info.tenantId, host: info.host, version: info.version, purpose: info.purpose },
      'agent connected',
    )
    if (info.purpose !== 'serve') return
    const previous = this.#serving.get(info.agentId)
    this.#serving.set(info.agentId, session)
    // The newer socket wins: the old one is usually half-open after a network change.
    previous?.close(closeCodes.replaced, 'replaced by a newer connection')
    this.#seen(session, 'online')
  }

  #ended(session: HubSession, code: number): void {
    const info = session.info!
    this.#ctx.logger.info({ agentId: info.agentId, code, purpose: info.purpose }, 'agent disconnected')
    if (this.#serving.get(info.agentId) !== session) return
    this.#serving.delete(info.agentId)
    this.#seen(session, 'offline')
  }

  /** Writes per agent in order, so a late "offline" never overwrites a newer "online". */
  #seen(session: HubSession, state: AgentState): void {
    const info = session.info!
    if (info.purpose !== 'serve') return
    const previous = this.#writes.get(info.agentId) ?? Promise.resolve()
    const next = previous
      .then(() =>
        this.#ctx.store.agents.markSeen(info.agentId, {
          state,
          node: state === 'online' ? this.#ctx.nodeId : null,
          host: info.host,
          version: info.version,
        }),
      )
      .catch((error: unknown) =>
        this.#ctx.logger.error({ agentId: info.agentId, err: error }, 'cannot record agent state'),
      )
      .finally(() => {
        if (this.#writes.get(info.agentId) === next) this.#writes.delete(info.agentId)
      })
    this.#writes.set(info.agentId, next)
  }

  async #message(session: HubSession, op: string, body: unknown): Promise<Result<unknown>> {
    const handler = this.#handlers.get(op)
    if (!handler) return failure('IDB_ERR_AGENT_UNSUPPORTED', `the tenant service has no handler for ${op}`)
    try {
      return await handler(session.info!, body)
    } catch (error) {
      this.#ctx.logger.error({ agentId: session.info?.agentId, op, err: error }, 'agent message handler failed')
      return failure('IDB_ERR_INTERNAL', `handler for ${op} failed`)
    }
  }
}
