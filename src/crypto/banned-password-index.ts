/** @module Edit-distance-1 search for banned terms inside a normalised password (reference §4.2). */

/**
 * Shortest password window that may count as a fuzzy hit. Without it a 4-character term would match
 * any 3-character window one deletion away, and common trigrams in ordinary words would eat into the
 * score; 4 is the shortest term the lists allow anyway.
 */
export const MIN_WINDOW_LENGTH = 4

/**
 * A deletion-neighbourhood (SymSpell-style) index: every term and every single-character deletion of
 * it is a key. Two strings are within one edit only if one of them, or one deletion of each, is the
 * same key, so a window costs 1 + length lookups instead of a comparison with every term.
 * Keys are rolling polynomial hashes rather than strings, so a window and each of its deletions
 * hash in O(1) without building a string; a colliding key only costs the exact check that follows.
 */
export class FuzzyTermIndex {
  /** The normalised terms; hits refer to them by position. */
  readonly terms: readonly string[]
  readonly termCodes: readonly Int32Array[]
  readonly termLengths = new Set<number>()
  readonly table: IdTable

  constructor(normalisedTerms: readonly string[]) {
    this.terms = normalisedTerms
    this.termCodes = normalisedTerms.map((term) => Int32Array.from(term, (ch) => ch.codePointAt(0) ?? 0))
    const buckets = new Map<number, number[]>()
    for (const [id, codes] of this.termCodes.entries()) {
      this.termLengths.add(codes.length)
      const hashes = new RollingHash(codes)
      const keys = new Set([hashes.key(0, codes.length)])
      for (let j = 0; j < codes.length; j++) keys.add(hashes.keyWithout(0, j, codes.length))
      for (const key of keys) {
        const bucket = buckets.get(key)
        if (bucket) bucket.push(id)
        else buckets.set(key, [id])
      }
    }
    this.table = new IdTable(buckets)
  }
}

/**
 * Term ids by 32-bit key, fronted by a one-hash bit filter. Nearly every probe misses, and the map
 * is too big to stay in cache, so a small filter that settles most misses keeps a check fast.
 */
class IdTable {
  private readonly filter: Uint32Array
  private readonly filterShift: number
  private readonly buckets: ReadonlyMap<number, readonly number[]>

  constructor(buckets: ReadonlyMap<number, readonly number[]>) {
    this.buckets = buckets
    // About 16 bits per key: roughly one miss in sixteen gets past the filter.
    let filterBits = 5
    while (1 << filterBits < buckets.size * 16) filterBits++
    this.filterShift = 32 - filterBits
    this.filter = new Uint32Array(1 << (filterBits - 5))
    for (const key of buckets.keys()) {
      const bit = this.filterBit(key)
      this.filter[bit >>> 5] = (this.filter[bit >>> 5] ?? 0) | (1 << (bit & 31))
    }
  }

  private filterBit(key: number): number {
    return Math.imul(key, 0xcc9e2d51) >>> this.filterShift
  }

  get(key: number): readonly number[] | undefined {
    const bit = this.filterBit(key)
    if (((this.filter[bit >>> 5] ?? 0) & (1 << (bit & 31))) === 0) return undefined
    return this.buckets.get(key)
  }
}

/**
 * Calls `visit` for every window chars[start, end) that is within one edit of a term of one of the
 * indexes (`which` says which; `exact` when no edit was needed). Each (window, term) pair is
 * reported once. Searching several indexes in one pass shares the hashing.
 */
export function forEachFuzzyHit(
  chars: readonly string[],
  indexes: readonly FuzzyTermIndex[],
  visit: (which: number, start: number, end: number, termId: number, exact: boolean) => void,
): void {
  const codes = Int32Array.from(chars, (ch) => ch.codePointAt(0) ?? 0)
  const hashes = new RollingHash(codes)
  const lengths = new Set(indexes.flatMap((index) => [...index.termLengths]))
  const maxWindow = Math.max(0, ...lengths) + 1
  // The same term can be reached through several deletion keys of one window; stamps dedupe that.
  const seen = indexes.map((index) => new Int32Array(index.terms.length).fill(-1))
  let stamp = 0
  // Defined once, not per window: a closure per window was most of the run time.
  const probe = (key: number, start: number, end: number) => {
    for (let which = 0; which < indexes.length; which++) {
      const index = indexes[which]
      const bucket = index?.table.get(key)
      if (!index || !bucket) continue
      const stamps = seen[which] ?? new Int32Array(0)
      for (const id of bucket) {
        if (stamps[id] === stamp) continue
        stamps[id] = stamp
        const edits = variantEdits(index.termCodes[id] ?? new Int32Array(0), codes, start, end)
        if (edits >= 0) visit(which, start, end, id, edits === 0)
      }
    }
  }

  for (let start = 0; start < codes.length; start++) {
    for (let size = MIN_WINDOW_LENGTH; size <= maxWindow && start + size <= codes.length; size++) {
      const end = start + size
      const wantsWhole = lengths.has(size) || lengths.has(size + 1)
      const wantsDeletions = lengths.has(size) || lengths.has(size - 1)
      if (!wantsWhole && !wantsDeletions) continue
      stamp++
      if (wantsWhole) probe(hashes.key(start, end), start, end)
      if (wantsDeletions) for (let j = start; j < end; j++) probe(hashes.keyWithout(start, j, end), start, end)
    }
  }
}

const BASE = 0x9e3779b1 | 0
const LENGTH_SALT = 0x27d4eb2d

/**
 * Polynomial hash modulo 2^32 over code points, with prefix sums so any slice, or a slice minus one
 * position, hashes in O(1). The slice length is mixed into the key so short and long slices with
 * equal hashes rarely share a bucket; keys stay 32-bit integers, which Maps look up fastest.
 */
class RollingHash {
  private readonly prefix: Int32Array
  private readonly powers: Int32Array

  constructor(codes: Int32Array) {
    this.prefix = new Int32Array(codes.length + 1)
    this.powers = new Int32Array(codes.length + 1)
    this.powers[0] = 1
    for (let k = 0; k < codes.length; k++) {
      this.prefix[k + 1] = (Math.imul(this.prefix[k] ?? 0, BASE) + (codes[k] ?? 0)) | 0
      this.powers[k + 1] = Math.imul(this.powers[k] ?? 0, BASE)
    }
  }

  private hash(from: number, to: number): number {
    return ((this.prefix[to] ?? 0) - Math.imul(this.prefix[from] ?? 0, this.powers[to - from] ?? 0)) | 0
  }

  key(from: number, to: number): number {
    return (this.hash(from, to) + Math.imul(to - from, LENGTH_SALT)) | 0
  }

  /** The key of [from, to) with position `skip` removed. */
  keyWithout(from: number, skip: number, to: number): number {
    const head = Math.imul(this.hash(from, skip), this.powers[to - skip - 1] ?? 0)
    return (head + this.hash(skip + 1, to) + Math.imul(to - from - 1, LENGTH_SALT)) | 0
  }
}

/**
 * 0 when window codes[start, end) is the term, 1 when it is one substitution, insertion or deletion
 * away, otherwise -1. A window that is the term plus one character at either edge is refused: that
 * character is a leftover, not part of a variant — the reference scores the "f" in
 * "contosoblankf9!" on its own.
 */
function variantEdits(term: Int32Array, codes: Int32Array, start: number, end: number): number {
  const size = end - start
  if (size === term.length) {
    let mismatches = 0
    for (let k = 0; k < size && mismatches <= 1; k++) if (term[k] !== codes[start + k]) mismatches++
    return mismatches <= 1 ? mismatches : -1
  }
  if (size === term.length + 1) {
    if (sameRun(term, codes, start + 1) || sameRun(term, codes, start)) return -1
    return oneInsertion(term, 0, codes, start, term.length) ? 1 : -1
  }
  if (size === term.length - 1) return oneInsertion(codes, start, term, 0, size) ? 1 : -1
  return -1
}

function sameRun(term: Int32Array, codes: Int32Array, from: number): boolean {
  for (let k = 0; k < term.length; k++) if (term[k] !== codes[from + k]) return false
  return true
}

/** Whether longer[longStart, +size+1) is shorter[shortStart, +size) with one character inserted. */
function oneInsertion(shorter: Int32Array, shortStart: number, longer: Int32Array, longStart: number, size: number) {
  let k = 0
  while (k < size && shorter[shortStart + k] === longer[longStart + k]) k++
  for (; k < size; k++) if (shorter[shortStart + k] !== longer[longStart + k + 1]) return false
  return true
}
