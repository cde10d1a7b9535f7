/** @module The agent's side of the channel as a seam: the ws client in production, an in-memory one in tests. */
import type { Result } from '../../errors/idbridge-error.ts'

/** What a request handler learns besides the body. */
export interface RequestContext {
  /** The frame id, for the event log; unique per delivery. */
  readonly requestId: string
  /** The tenant's key for this operation: a second delivery with it gets the first result back. */
  readonly idempotencyKey: string | undefined
  /**
   * Now on the tenant's clock when the request arrived, where the channel knows it. Expiries the
   * tenant sets (a writeback package's) are measured on it, so a skewed agent clock cannot expire
   * a fresh request or keep a stale one alive.
   */
  readonly tenantTime?: number
}

/**
 * Carries out one tenant request. Return a failed Result for an operational outcome (policy,
 * user not found); a throw becomes IDB_ERR_AGENT_REQUEST_FAILED.
 */
export type RequestHandler = (body: unknown, context: RequestContext) => Promise<Result<unknown>>

export type ChannelState = 'connecting' | 'online' | 'closed'

/**
 * The agent's outbound channel to its tenant. Requests come in from the tenant, messages go out;
 * each gets exactly one correlated response.
 *
 * @example
 * channel.onRequest('password.reset', async (body) => ({ ok: true, value: await reset(body) }))
 * const sent = await channel.send('sync.batch', { changes })
 * if (!sent.ok) log(sent.error.code)
 */
export interface AgentChannel {
  /** One handler per type; registering a type twice is a programmer error and throws. */
  onRequest(type: string, handler: RequestHandler): void
  /**
   * Sends an agent → tenant message. Fails with IDB_ERR_CHANNEL_CLOSED when not connected (nothing
   * was sent), IDB_ERR_AGENT_TIMEOUT or IDB_ERR_AGENT_OUTCOME_UNKNOWN when it was sent but no answer came.
   */
  send(type: string, body: unknown, options?: { timeoutMs?: number }): Promise<Result<unknown>>
  readonly state: ChannelState
  /** Resolves true once connected, false when `timeoutMs` passes first or the channel closes. */
  whenOnline(timeoutMs: number): Promise<boolean>
  /** Stops reconnecting and closes the connection; idempotent. */
  close(): Promise<void>
}
