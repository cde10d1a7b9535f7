/**
 * @module The IDL_DRSGetNCChanges (opnum 3) request with DRS_MSG_GETCHGREQ_V8 (MS-DRSR §4.1.10.2.6):
 * hDrs, dwInVersion = 8, then the union (discriminant 8, arm aligned to 8 for its hypers)
 * { uuidDsaObjDest, uuidInvocIdSrc, [ref] DSNAME* pNC, USN_VECTOR usnvecFrom,
 *   [unique] UPTODATE_VECTOR_V1_EXT* pUpToDateVecDest, ulFlags, cMaxObjects, cMaxBytes,
 *   ulExtendedOp, ULARGE_INTEGER liFsmoInfo, [unique] PARTIAL_ATTR_VECTOR_V1_EXT* pPartialAttrSet,
 *   [unique] PARTIAL_ATTR_VECTOR_V1_EXT* pPartialAttrSetEx, SCHEMA_PREFIX_TABLE PrefixTableDest }.
 * The embedded [ref] pNC still gets a (nonzero) referent id; pointees follow in field order.
 */
import { NdrWriter } from '../ndr/ndr-writer.ts'
import { DrsError } from './drs-error.ts'
import { type DsNameRef, writeDsName } from './dsname.ts'
import type { PrefixTable } from './prefix-table.ts'
import { writePrefixTable } from './prefix-table-wire.ts'
import { type UpToDateCursor, type UsnVector, writeUpToDateVectorV1, writeUsnVector } from './replication-state.ts'

export interface GetNcChangesRequestV8 {
  /** uuidDsaObjDest: the GUID this client identifies itself with. */
  readonly clientDsa: string
  /** uuidInvocIdSrc: the DC's invocationId from the previous reply of the cycle; NULL GUID at first. */
  readonly invocationId?: string
  /** pNC: the NC root, or the object of an extended operation. */
  readonly nc: DsNameRef
  readonly usnFrom: UsnVector
  readonly upToDate?: readonly UpToDateCursor[]
  readonly flags: number
  readonly maxObjects: number
  readonly maxBytes: number
  readonly extendedOp: number
  readonly fsmoInfo?: bigint
  /** ATTRTYPs (in `prefixTable`) of the partial attribute set, or undefined for all attributes. */
  readonly partialAttributeSet?: readonly number[]
  readonly partialAttributeSetEx?: readonly number[]
  readonly prefixTable?: PrefixTable
  /** The DC's schema signature (from a reply's prefix table), sent back as the last prefix entry. */
  readonly schemaInfo?: Buffer
}

const NULL_GUID = '00000000-0000-0000-0000-000000000000'
/** [range(1,1048576)] on cAttrs. */
const MAX_PARTIAL_ATTRS = 1_048_576

function writePartialAttrVector(w: NdrWriter, attids: readonly number[]): void {
  w.u32(attids.length) // conformance
  w.u32(1).u32(0).u32(attids.length) // dwVersion, dwReserved1, cAttrs
  for (const a of attids) w.u32(a >>> 0)
}

function partialSet(attids: readonly number[] | undefined): readonly number[] | null {
  if (!attids || attids.length === 0) return null
  if (attids.length > MAX_PARTIAL_ATTRS) throw new DrsError('DRS_INVALID_REQUEST', 'too many partial attributes')
  return attids
}

function checkCount(value: number, what: string): number {
  if (!Number.isInteger(value) || value < 0 || value > 0xffffffff) {
    throw new DrsError('DRS_INVALID_REQUEST', `${what} out of range: ${value}`)
  }
  return value
}

export function encodeGetNcChangesRequest(handle: Uint8Array, req: GetNcChangesRequestV8): Buffer {
  const w = new NdrWriter()
  w.contextHandle(handle)
  w.u32(8) // dwInVersion
  w.u32(8) // union discriminant
  w.align(8) // the V8 arm holds hypers
  w.uuid(req.clientDsa)
  w.uuid(req.invocationId ?? NULL_GUID)
  w.uniquePointer(req.nc, (nc) => writeDsName(w, nc))
  writeUsnVector(w, req.usnFrom)
  w.uniquePointer(req.upToDate?.length ? req.upToDate : null, (cursors) => writeUpToDateVectorV1(w, cursors))
  w.u32(checkCount(req.flags >>> 0, 'ulFlags'))
  w.u32(checkCount(req.maxObjects, 'cMaxObjects'))
  w.u32(checkCount(req.maxBytes, 'cMaxBytes'))
  w.u32(checkCount(req.extendedOp, 'ulExtendedOp'))
  w.u64(req.fsmoInfo ?? 0n)
  w.uniquePointer(partialSet(req.partialAttributeSet), (set) => writePartialAttrVector(w, set))
  w.uniquePointer(partialSet(req.partialAttributeSetEx), (set) => writePartialAttrVector(w, set))
  writePrefixTable(w, req.prefixTable, req.schemaInfo)
  return w.finish()
}
