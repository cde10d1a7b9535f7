/** @module Removes what ran out: abandoned reset flows, and relay rows a crashed node left behind. */
import type { Logger } from 'pino'
import type { Store } from '../store/store.ts'
import type { Clock } from '../time/clock.ts'

const INTERVAL_MS = 60_000

/** One pass; returns how many rows went. Each node may run it: the deletes are idempotent. */
export async function sweepExpired(store: Store, now: number): Promise<{ flows: number; writebackRequests: number }> {
  const flows = await store.ssprFlows.deleteExpired(now)
  const writebackRequests = await store.writebackRequests.deleteExpired(now)
  return { flows, writebackRequests }
}

/**
 * Sweeps once a minute, off the request path: a reset flow and a relay request each end on their
 * own, so only what a closed browser or a killed node abandoned is ever left for this.
 */
export function startHousekeeping(store: Store, clock: Clock, logger: Logger): { stop(): void } {
  const timer = setInterval(() => {
    sweepExpired(store, clock.now()).catch((err: unknown) => logger.warn({ err }, 'housekeeping failed'))
  }, INTERVAL_MS)
  timer.unref()
  return { stop: () => clearInterval(timer) }
}
