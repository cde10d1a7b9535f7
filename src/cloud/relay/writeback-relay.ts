/** @module The writeback relay: seals a password operation for one online agent and carries it there, across tenant nodes. */
import { randomUUID } from 'node:crypto'
import type { Logger } from 'pino'
import { sealPasswordPackage } from '../../crypto/writeback-envelope.ts'
import { type ErrorCode, errorCatalogue } from '../../errors/error-catalogue.ts'
import { IdbridgeError, type Result } from '../../errors/idbridge-error.ts'
import {
  PASSWORD_OPERATION_OP,
  type PasswordOperationResult,
  type PasswordPackage,
  passwordOperationResultSchema,
} from '../../protocol/password-operation.ts'
import type { Store } from '../../store/store.ts'
import type { Clock } from '../../time/clock.ts'
import type { AgentHub } from '../agents/agent-hub.ts'
import type { WakeUps } from './wake-ups.ts'

/** What the caller knows about the operation; the relay adds the agent, tracking id and expiry. */
export type PasswordOperationRequest = Omit<PasswordPackage, 'trackingId' | 'agentId' | 'tenantId' | 'expiresAt'>

export type RelayedResult = PasswordOperationResult & { trackingId: string }

/** The seam the portal and the admin API use to reach AD: the relay in production, a scripted fake in tests. */
export interface PasswordOperationSender {
  /** Fails with IDB_ERR_AGENT_OFFLINE (nothing sent), an IDB_ERR_WB_* code from the agent, or a timeout/unknown outcome. */
  submit(tenantId: string, request: PasswordOperationRequest, options: { waitMs: number }): Promise<Result<RelayedResult>>
}

/** An agent is online elsewhere only while its heartbeats are this fresh (heartbeats come every 5 s). */
const REMOTE_FRESHNESS_MS = 15_000
const POLL_MS = 250
const REQUEST_TOPIC = 'writeback.request'
const RESULT_TOPIC = 'writeback.result'

interface StoredResult {
  ok: boolean
  value?: unknown
  error?: { code: string; detail?: string; data?: Record<string, unknown> }
}

export interface WritebackRelayOptions {
  readonly store: Store
  readonly hub: AgentHub
  readonly wakeUps: WakeUps
  readonly clock: Clock
  readonly logger: Logger
}

/**
 * @example
 * const result = await relay.submit(tenant.id, { operation: 'reset', password, … }, { waitMs: 60_000 })
 * if (!result.ok) showError(result.error.code)   // IDB_ERR_AGENT_OFFLINE, IDB_ERR_WB_POLICY, …
 */
export class WritebackRelay implements PasswordOperationSender {
  readonly #o: WritebackRelayOptions
  readonly #unsubscribe: () => void
  readonly #waiters = new Map<string, () => void>()
  readonly #unsubscribeResults: () => void

  constructor(options: WritebackRelayOptions) {
    this.#o = options
    this.#unsubscribe = options.wakeUps.subscribe(REQUEST_TOPIC, (payload) => void this.#serveRemote(payload))
    this.#unsubscribeResults = options.wakeUps.subscribe(RESULT_TOPIC, (id) => this.#waiters.get(id)?.())
  }

  /**
   * Sends the operation to exactly one online agent of the tenant and waits up to `waitMs` for its
   * answer. The plaintext exists only in `request` and in the sealed envelope's key; the store and
   * the other node only ever see ciphertext. Never retried: a lost answer is IDB_ERR_AGENT_OUTCOME_UNKNOWN.
   */
  async submit(
    tenantId: string,
    request: PasswordOperationRequest,
    options: { waitMs: number },
  ): Promise<Result<RelayedResult>> {
    const { store, hub, clock } = this.#o
    const now = clock.now()
    const target = await this.#chooseAgent(tenantId, now)
    if (!target) return fail('IDB_ERR_AGENT_OFFLINE', `no agent of tenant ${tenantId} is online`)
    const agent = await store.agents.get(target.agentId)
    if (!agent || agent.revokedAt !== null) return fail('IDB_ERR_AGENT_OFFLINE', `agent ${target.agentId} is gone`)
    const trackingId = randomUUID()
    const expiresAt = now + options.waitMs
    const envelope = sealPasswordPackage(
      { ...request, trackingId, tenantId, agentId: agent.id, expiresAt },
      agent.encryptionPublicKey,
    )
    const local = target.node === hub.nodeId
    await store.writebackRequests.create({
      id: trackingId,
      tenantId,
      agentId: agent.id,
      node: target.node,
      operation: request.operation,
      envelope: JSON.stringify(envelope),
      status: local ? 'dispatched' : 'pending',
      result: null,
      createdAt: now,
      expiresAt,
    })
    this.#o.logger.info(
      { trackingId, agentId: agent.id, node: target.node, operation: request.operation },
      'writeback request relayed',
    )
    try {
      let outcome: StoredResult
      if (local) {
        outcome = toStored(await this.#dispatch(agent.id, trackingId, envelope, expiresAt))
      } else {
        await this.#o.wakeUps.publish(REQUEST_TOPIC, trackingId)
        outcome = await this.#awaitResult(trackingId, expiresAt)
      }
      return fromStored(outcome, trackingId)
    } finally {
      await store.writebackRequests.delete(trackingId)
    }
  }

  async close(): Promise<void> {
    this.#unsubscribe()
    this.#unsubscribeResults()
    for (const wake of this.#waiters.values()) wake()
  }

  async #chooseAgent(tenantId: string, now: number): Promise<{ agentId: string; node: string } | undefined> {
    const local = this.#o.hub.pick(tenantId)
    if (local) return { agentId: local.agentId, node: this.#o.hub.nodeId }
    const remote = (await this.#o.store.agents.list(tenantId)).filter(
      (a) =>
        a.state === 'online' &&
        a.revokedAt === null &&
        a.connectedNode !== null &&
        a.connectedNode !== this.#o.hub.nodeId &&
        (a.lastSeenAt ?? 0) > now - REMOTE_FRESHNESS_MS,
    )
    const chosen = remote[Math.floor(Math.random() * remote.length)]
    return chosen && { agentId: chosen.id, node: chosen.connectedNode! }
  }

  #dispatch(agentId: string, trackingId: string, envelope: unknown, expiresAt: number): Promise<Result<unknown>> {
    const timeoutMs = Math.max(1, expiresAt - this.#o.clock.now())
    // The tracking id is the idempotency key: a second delivery returns the agent's first answer.
    return this.#o.hub.requestAgent(agentId, PASSWORD_OPERATION_OP, envelope, { timeoutMs, idempotencyKey: trackingId })
  }

  /** On the node that holds the agent's socket: claim the request, run it, store the answer, wake the sender. */
  async #serveRemote(trackingId: string): Promise<void> {
    const { store, clock, logger } = this.#o
    try {
      const claimed = await store.writebackRequests.claim(trackingId, this.#o.hub.nodeId, clock.now())
      if (!claimed?.envelope) return
      const result = await this.#dispatch(claimed.agentId, trackingId, JSON.parse(claimed.envelope), claimed.expiresAt)
      await store.writebackRequests.complete(trackingId, JSON.stringify(toStored(result)))
      await this.#o.wakeUps.publish(RESULT_TOPIC, trackingId)
    } catch (err) {
      logger.error({ trackingId, err }, 'cannot serve a relayed writeback request')
    }
  }

  async #awaitResult(trackingId: string, expiresAt: number): Promise<StoredResult> {
    const { store, clock } = this.#o
    while (clock.now() < expiresAt) {
      const row = await store.writebackRequests.get(trackingId)
      if (row?.status === 'done' && row.result) return JSON.parse(row.result) as StoredResult
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, Math.min(POLL_MS, Math.max(1, expiresAt - clock.now())))
        function done() {
          clearTimeout(timer)
          resolve()
        }
        this.#waiters.set(trackingId, done)
      })
      this.#waiters.delete(trackingId)
    }
    const row = await store.writebackRequests.get(trackingId)
    if (row?.status === 'done' && row.result) return JSON.parse(row.result) as StoredResult
    // Dispatched but unanswered means the agent may have acted; pending means it never left the tenant.
    return row?.status === 'dispatched'
      ? { ok: false, error: { code: 'IDB_ERR_AGENT_TIMEOUT', detail: 'no answer from the remote node in time' } }
      : { ok: false, error: { code: 'IDB_ERR_AGENT_OFFLINE', detail: 'the node holding the agent did not pick it up' } }
  }
}

function fail(code: ErrorCode, detail: string): Result<never> {
  return { ok: false, error: new IdbridgeError(code, { detail }) }
}

function toStored(result: Result<unknown>): StoredResult {
  return result.ok
    ? { ok: true, value: result.value }
    : { ok: false, error: { code: result.error.code, detail: result.error.detail, data: { ...result.error.data } } }
}

function fromStored(stored: StoredResult, trackingId: string): Result<RelayedResult> {
  if (stored.ok) {
    const parsed = passwordOperationResultSchema.safeParse(stored.value)
    if (parsed.success) return { ok: true, value: parsed.data }
    return fail('IDB_ERR_AGENT_REQUEST_FAILED', `the agent answered ${trackingId} with an unreadable result`)
  }
  const code = stored.error?.code ?? 'IDB_ERR_AGENT_REQUEST_FAILED'
  if (!Object.hasOwn(errorCatalogue, code)) return fail('IDB_ERR_AGENT_REQUEST_FAILED', `${code}: ${stored.error?.detail ?? ''}`)
  return {
    ok: false,
    error: new IdbridgeError(code as ErrorCode, {
      detail: stored.error?.detail,
      data: { ...stored.error?.data, trackingId },
    }),
  }
}
