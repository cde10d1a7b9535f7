/** @module Test support: a small seeded generator, so a fuzz failure replays from its seed. */

export const DEFAULT_FUZZ_SEED = 0x1d6b_71d9

/** IDBRIDGE_FUZZ_SEED (decimal or 0x hex) replays a run; the default keeps CI deterministic. */
export function fuzzSeed(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.IDBRIDGE_FUZZ_SEED
  const seed = raw === undefined || raw === '' ? DEFAULT_FUZZ_SEED : Number(raw)
  if (!Number.isSafeInteger(seed)) throw new Error(`IDBRIDGE_FUZZ_SEED must be an integer, got ${raw}`)
  return seed >>> 0
}

/** mulberry32: tiny, fast and good enough to pick inputs; not for anything secret. */
export class FuzzRandom {
  #state: number
  constructor(seed: number) {
    this.#state = seed >>> 0
  }

  /** In [0, 1). */
  next(): number {
    this.#state = (this.#state + 0x6d2b79f5) >>> 0
    let t = this.#state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }

  /** An integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1))
  }

  chance(p: number): boolean {
    return this.next() < p
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick from an empty list')
    return items[this.int(0, items.length - 1)]!
  }
}
