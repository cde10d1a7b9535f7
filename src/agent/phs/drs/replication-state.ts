/**
 * @module The replication cookies of MS-DRSR: USN_VECTOR (the watermark), UPTODATE_VECTOR_V1_EXT
 * (what we have seen, sent in requests) and UPTODATE_VECTOR_V2_EXT (what the DC has, in replies).
 */
import type { NdrReader } from '../ndr/ndr-reader.ts'
import type { NdrWriter } from '../ndr/ndr-writer.ts'

/** USN_VECTOR: pass the last reply's highWatermark back as the next request's usnFrom. */
export interface UsnVector {
  readonly highObjUpdate: bigint
  readonly reserved: bigint
  readonly highPropUpdate: bigint
}

export const ZERO_USN_VECTOR: UsnVector = { highObjUpdate: 0n, reserved: 0n, highPropUpdate: 0n }

export interface UpToDateCursor {
  /** invocationId of the DC that originated the updates. */
  readonly invocationId: string
  readonly usnHighPropUpdate: bigint
  /** V2 only: DSTIME (seconds since 1601) of the last successful sync. */
  readonly timeLastSyncSuccess?: bigint
}

/** The most cursors a vector may carry ([range(0,1048576)]). */
const MAX_CURSORS = 1_048_576

export function writeUsnVector(w: NdrWriter, v: UsnVector): void {
  w.align(8)
  w.i64(v.highObjUpdate).i64(v.reserved).i64(v.highPropUpdate)
}

export function readUsnVector(r: NdrReader): UsnVector {
  r.align(8)
  return { highObjUpdate: r.i64(), reserved: r.i64(), highPropUpdate: r.i64() }
}

/** UPTODATE_VECTOR_V1_EXT pointee: conformance, then { dwVersion 1, reserved, count, reserved, cursors }. */
export function writeUpToDateVectorV1(w: NdrWriter, cursors: readonly UpToDateCursor[]): void {
  w.u32(cursors.length)
  w.align(8)
  w.u32(1).u32(0).u32(cursors.length).u32(0)
  for (const c of cursors) {
    w.align(8)
    w.uuid(c.invocationId)
    w.i64(c.usnHighPropUpdate)
  }
}

/** UPTODATE_VECTOR_V2_EXT pointee: cursors of { uuidDsa, usnHighPropUpdate, timeLastSyncSuccess }. */
export function readUpToDateVectorV2(r: NdrReader): UpToDateCursor[] {
  const conformance = r.count(32, 'UPTODATE_VECTOR_V2_EXT', MAX_CURSORS)
  r.align(8)
  const version = r.u32()
  r.u32()
  const count = r.u32()
  r.u32()
  if (version !== 2) r.fail(`UPTODATE_VECTOR_V2_EXT has dwVersion ${version}`)
  if (count !== conformance) r.fail(`UPTODATE_VECTOR_V2_EXT count ${count} is not its conformance ${conformance}`)
  const cursors: UpToDateCursor[] = []
  for (let i = 0; i < count; i++) {
    r.align(8)
    cursors.push({ invocationId: r.uuid(), usnHighPropUpdate: r.i64(), timeLastSyncSuccess: r.i64() })
  }
  return cursors
}
