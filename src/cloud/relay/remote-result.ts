/** @module The sending node's wait for the node that holds the agent's socket to answer through the store. */
import type { WritebackRequest } from '../../store/sspr-records.ts'
import type { Store } from '../../store/store.ts'
import type { Clock } from '../../time/clock.ts'
import type { StoredResult } from './relayed-result.ts'

/** An agent is online elsewhere only while its heartbeats are this fresh (heartbeats come every 5 s). */
export const REMOTE_FRESHNESS_MS = 15_000
const POLL_MS = 250
/** A wake-up not acted on within this is sent again: one published while a node re-LISTENs is lost. */
const REPUBLISH_MS = 1000

/** What the wait needs from the relay. */
export interface RemoteWait {
  readonly store: Store
  readonly clock: Clock
  /** Sends the request's wake-up to the other nodes (again). */
  readonly publish: () => Promise<void>
  /** Sleeps up to `ms`, less when the result's wake-up arrives. */
  readonly pause: (ms: number) => Promise<void>
}

const failure = (code: string, detail: string): StoredResult => ({ ok: false, error: { code, detail } })

/**
 * Polls the request's row until it is done or expires. While it is pending the wake-up goes out
 * at least once per REPUBLISH_MS (the claim lets one node act on it, once); a store outage is
 * waited out; and once dispatched, a holder that lost the agent ends the wait at once.
 */
export async function awaitRemoteResult(w: RemoteWait, trackingId: string, expiresAt: number): Promise<StoredResult> {
  const { store, clock } = w
  let publishedAt = -Infinity
  while (clock.now() < expiresAt) {
    const row = await store.writebackRequests.get(trackingId).catch(() => null)
    if (row?.status === 'done' && row.result) return JSON.parse(row.result) as StoredResult
    if (row?.status === 'dispatched' && (await holderLostAgent(w, row))) {
      return failure('IDB_ERR_AGENT_OUTCOME_UNKNOWN', `node ${row.node} lost the agent after sending it the request`)
    }
    if (row?.status !== 'dispatched' && clock.now() - publishedAt >= REPUBLISH_MS) {
      publishedAt = clock.now()
      await w.publish().catch(() => undefined)
    }
    await w.pause(Math.min(POLL_MS, Math.max(1, expiresAt - clock.now())))
  }
  // Expired rows cannot be claimed any more, so what the row says now is final.
  const row = await store.writebackRequests.get(trackingId).catch(() => null)
  if (row?.status === 'done' && row.result) return JSON.parse(row.result) as StoredResult
  if (row === null) return failure('IDB_ERR_AGENT_OUTCOME_UNKNOWN', 'the store was unreachable at the deadline')
  // Dispatched but unanswered means the agent may have acted; pending means it never left the tenant.
  return row?.status === 'dispatched'
    ? failure('IDB_ERR_AGENT_TIMEOUT', 'no answer from the remote node in time')
    : failure('IDB_ERR_AGENT_OFFLINE', 'the node holding the agent did not pick it up')
}

/**
 * The dispatching node can only answer through the agent's socket: once the agent is recorded on
 * another node (it reconnected there) or that node stopped recording its heartbeats (it died),
 * no answer will come. Unknown while the store cannot tell.
 */
async function holderLostAgent(w: RemoteWait, row: WritebackRequest): Promise<boolean> {
  const agent = await w.store.agents.get(row.agentId).catch(() => undefined)
  if (!agent) return false
  return agent.connectedNode !== row.node || (agent.lastSeenAt ?? 0) <= w.clock.now() - REMOTE_FRESHNESS_MS
}
