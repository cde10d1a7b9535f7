/** @module Ids that sort by creation time, for logs paged by (time, id). */
import { randomBytes } from 'node:crypto'

let lastAt = -1
let sequence = 0

/**
 * 12 base-36 digits of epoch ms, 4 of a per-process sequence within that ms, then 12 hex digits of
 * randomness. The sequence keeps "newest first" true for events written in the same millisecond,
 * which random digits alone would shuffle.
 */
export function newSortableId(at: number): string {
  sequence = at === lastAt ? sequence + 1 : 0
  lastAt = at
  return `${at.toString(36).padStart(12, '0')}${sequence.toString(36).padStart(4, '0').slice(-4)}${randomBytes(6).toString('hex')}`
}
