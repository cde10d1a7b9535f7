/** @module Weak ETags over the record version, and the If-Match check. */
import { IdbridgeError } from '../../errors/idbridge-error.ts'

export const etagOf = (version: number): string => `W/"${version}"`

/** The version If-Match demands, or undefined when it is absent or `*`. */
export function ifMatchVersion(header: string | undefined): number | undefined {
  if (header === undefined || header.trim() === '*') return undefined
  const m = /^\s*(?:W\/)?"(\d{1,9})"\s*$/.exec(header)
  if (!m)
    throw new IdbridgeError('IDB_ERR_PRECONDITION_FAILED', { detail: 'If-Match must be an ETag this service issued' })
  return Number(m[1])
}
