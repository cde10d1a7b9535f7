/** @module The idempotency keys the agent has processed, with their results, so a duplicate never runs twice. */
import type { Result } from '../../errors/idbridge-error.ts'

interface Entry {
  readonly result: Promise<Result<unknown>>
  readonly expiresAt: number
}

/**
 * Keeps the promise, not the value: a duplicate that arrives while the first run is still going
 * waits for that run instead of starting another. In memory only, so a restart forgets the keys.
 */
export class IdempotencyRecord {
  readonly #entries = new Map<string, Entry>()
  readonly #ttlMs: number
  readonly #maxEntries: number

  constructor(options: { ttlMs?: number; maxEntries?: number } = {}) {
    this.#ttlMs = options.ttlMs ?? 24 * 60 * 60 * 1000
    this.#maxEntries = options.maxEntries ?? 10_000
  }

  /** Runs `work` the first time `key` is seen within the TTL; afterwards returns the recorded result. */
  run(
    key: string,
    now: number,
    work: () => Promise<Result<unknown>>,
  ): { result: Promise<Result<unknown>>; duplicate: boolean } {
    const known = this.#entries.get(key)
    if (known && known.expiresAt > now) return { result: known.result, duplicate: true }
    this.#evict(now)
    const result = work()
    this.#entries.set(key, { result, expiresAt: now + this.#ttlMs })
    return { result, duplicate: false }
  }

  get size(): number {
    return this.#entries.size
  }

  #evict(now: number): void {
    for (const [key, entry] of this.#entries) {
      // Map order is insertion order, so the oldest go first when the record is full.
      if (entry.expiresAt <= now || this.#entries.size >= this.#maxEntries) this.#entries.delete(key)
      else break
    }
  }
}
