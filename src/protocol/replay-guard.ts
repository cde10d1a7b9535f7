/** @module Rejects a channel message whose id was seen within its expiry window, or whose expiry passed. */

export type ReplayVerdict = 'fresh' | 'replay' | 'expired' | 'too-far-ahead'

/**
 * Remembers each accepted id until its expiresAt. Ids older than that need not be remembered:
 * the expiry check rejects them anyway, which is what keeps the memory bounded.
 */
export class ReplayGuard {
  readonly #seen = new Map<string, number>()
  readonly #maxTtlMs: number
  #nextPrune = 0

  /** @param maxTtlMs the furthest ahead an expiresAt may lie; farther means a bad clock or a forged frame. */
  constructor(options: { maxTtlMs: number }) {
    this.#maxTtlMs = options.maxTtlMs
  }

  check(id: string, expiresAt: number, now: number): ReplayVerdict {
    this.#prune(now)
    if (this.#seen.has(id)) return 'replay'
    if (expiresAt <= now) return 'expired'
    if (expiresAt > now + this.#maxTtlMs) return 'too-far-ahead'
    this.#seen.set(id, expiresAt)
    return 'fresh'
  }

  get size(): number {
    return this.#seen.size
  }

  #prune(now: number): void {
    if (now < this.#nextPrune) return
    this.#nextPrune = now + 1000
    for (const [id, expiresAt] of this.#seen) if (expiresAt <= now) this.#seen.delete(id)
  }
}
