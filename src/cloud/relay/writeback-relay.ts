/** @module The writeback relay: seals a password operation for one online agent and carries it there, across tenant nodes. */
import { randomUUID } from 'node:crypto'
import type { Logger } from 'pino'
import { sealPasswordPackage } from '../../crypto/writeback-envelope.ts'
import type { Result } from '../../errors/idbridge-error.ts'
import { PASSWORD_OPERATION_OP, type PasswordPackage } from '../../protocol/password-operation.ts'
import { storeFault } from '../../store/store-fault.ts'
import type { Store } from '../../store/store.ts'
import type { Clock } from '../../time/clock.ts'
import type { AgentHub } from '../agents/agent-hub.ts'
import { fromStored, type RelayedResult, relayFailure as fail, toStored } from './relayed-result.ts'
import { awaitRemoteResult, REMOTE_FRESHNESS_MS } from './remote-result.ts'
import type { WakeUps } from './wake-ups.ts'

export type { RelayedResult } from './relayed-result.ts'

/** What the caller knows about the operation; the relay adds the agent, tracking id and expiry. */
export type PasswordOperationRequest = Omit<PasswordPackage, 'trackingId' | 'agentId' | 'tenantId' | 'expiresAt'>

/** The seam the portal and the admin API use to reach AD: the relay in production, a scripted fake in tests. */
export interface PasswordOperationSender {
  /**
   * Fails with IDB_ERR_AGENT_OFFLINE or IDB_ERR_STORE_UNAVAILABLE (nothing sent), an IDB_ERR_WB_*
   * code from the agent, or a timeout/unknown outcome. Never throws for a store outage.
   */
  submit(tenantId: string, request: PasswordOperationRequest, options: { waitMs: number }): Promise<Result<RelayedResult>>
}

const REQUEST_TOPIC = 'writeback.request'
const RESULT_TOPIC = 'writeback.result'

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
    const prepared = await this.#prepare(tenantId, request, options.waitMs).catch(nothingSent)
    if (!prepared.ok) return prepared
    const { trackingId, agentId, envelope, expiresAt, local } = prepared.value
    try {
      const outcome = local
        ? toStored(await this.#dispatch(agentId, trackingId, envelope, expiresAt))
        : await awaitRemoteResult(this.#remoteWait(trackingId), trackingId, expiresAt)
      return fromStored(outcome, trackingId)
    } finally {
      // A store outage must not turn a known answer into an error: a row left behind expires and
      // housekeeping removes it.
      await this.#o.store.writebackRequests.delete(trackingId).catch((err: unknown) => {
        this.#o.logger.warn({ trackingId, err }, 'cannot delete a finished writeback request')
      })
    }
  }

  async close(): Promise<void> {
    this.#unsubscribe()
    this.#unsubscribeResults()
    for (const wake of this.#waiters.values()) wake()
  }

  /** Everything before the request can leave this node; a store failure here means nothing was sent. */
  async #prepare(tenantId: string, request: PasswordOperationRequest, waitMs: number) {
    const { store, hub, clock } = this.#o
    const now = clock.now()
    const target = await this.#chooseAgent(tenantId, now)
    if (!target) return fail('IDB_ERR_AGENT_OFFLINE', `no agent of tenant ${tenantId} is online`)
    const agent = await store.agents.get(target.agentId)
    if (!agent || agent.revokedAt !== null) return fail('IDB_ERR_AGENT_OFFLINE', `agent ${target.agentId} is gone`)
    const trackingId = randomUUID()
    const expiresAt = now + waitMs
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
    return { ok: true as const, value: { trackingId, agentId: agent.id, envelope, expiresAt, local } }
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

  #remoteWait(trackingId: string) {
    return {
      store: this.#o.store,
      clock: this.#o.clock,
      publish: () => this.#o.wakeUps.publish(REQUEST_TOPIC, trackingId),
      pause: (ms: number) =>
        new Promise<void>((resolve) => {
          const done = () => {
            clearTimeout(timer)
            this.#waiters.delete(trackingId)
            resolve()
          }
          const timer = setTimeout(done, ms)
          this.#waiters.set(trackingId, done)
        }),
    }
  }

  /** On the node that holds the agent's socket: claim the request, run it, store the answer, wake the sender. */
  async #serveRemote(trackingId: string): Promise<void> {
    const { store, clock, logger } = this.#o
    try {
      const claimed = await store.writebackRequests.claim(trackingId, this.#o.hub.nodeId, clock.now())
      if (!claimed?.envelope) return
      const result = await this.#dispatch(claimed.agentId, trackingId, JSON.parse(claimed.envelope), claimed.expiresAt)
      // The agent has acted: its answer must reach the sender across a database restart too.
      const stored = JSON.stringify(toStored(result))
      await retryUntil(claimed.expiresAt, clock, () => store.writebackRequests.complete(trackingId, stored))
      // The sender also polls, so a lost result wake-up only costs latency.
      await this.#o.wakeUps.publish(RESULT_TOPIC, trackingId).catch(() => undefined)
    } catch (err) {
      logger.error({ trackingId, err }, 'cannot serve a relayed writeback request')
    }
  }
}

/** A store outage before anything left this node is a value, like every other "not sent". */
function nothingSent(error: unknown): Result<never> {
  const fault = storeFault(error)
  if (!fault) throw error
  return { ok: false, error: fault }
}

async function retryUntil(deadline: number, clock: Clock, work: () => Promise<void>): Promise<void> {
  for (;;) {
    try {
      return await work()
    } catch (error) {
      if (clock.now() >= deadline || !storeFault(error)) throw error
      await new Promise((resolve) => setTimeout(resolve, 200))
    }
  }
}
