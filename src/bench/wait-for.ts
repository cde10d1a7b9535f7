/** @module Bounded polling: every wait in the bench ends, with an error naming what it waited for. */
import { setTimeout as sleep } from 'node:timers/promises'

/**
 * Polls `check` until it returns a truthy value and returns that value; throws after `timeoutMs`.
 *
 * @example
 * await waitFor('10000 users in the tenant', async () => (await count()) >= 10000, { timeoutMs: 600_000 })
 */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined | null | false>,
  options: { timeoutMs: number; intervalMs?: number },
): Promise<T> {
  const deadline = performance.now() + options.timeoutMs
  for (;;) {
    const value = await check()
    if (value) return value
    if (performance.now() > deadline) throw new Error(`timed out after ${options.timeoutMs} ms waiting for ${what}`)
    await sleep(options.intervalMs ?? 100)
  }
}
