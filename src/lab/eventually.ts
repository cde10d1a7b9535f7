/** @module Test support for end-to-end tests: waiting for something that happens asynchronously by nature. */

/**
 * Polls `check` until it returns a truthy value and returns that value; after `timeoutMs` it
 * throws an error that names `what`, so a slow sync reads as what it is and not as a bare timeout.
 *
 * @example
 * const user = await eventually('the synced user', () => store.users.get(tenantId, id))
 */
export async function eventually<T>(
  what: string,
  check: () => Promise<T | undefined | null | false>,
  options: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<T> {
  const deadline = Date.now() + (options.timeoutMs ?? 30_000)
  for (;;) {
    const value = await check()
    if (value) return value
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 100))
  }
}
