/** @module Ids that sort by creation time, for logs paged by (time, id). */
import { randomBytes } from 'node:crypto'

/** 12 base-36 digits of epoch ms, then 16 hex digits of randomness. */
export function newSortableId(at: number): string {
  return `${at.toString(36).padStart(12, '0')}${randomBytes(8).toString('hex')}`
}
