/**
 * @module The IDL_DRSGetNCChanges reply: pdwOutVersion, the union (same discriminant, arm aligned
 * to 8) and the ULONG return. V6 (MS-DRSR §4.1.10.2.12) and V9 (§4.1.10.2.14, REPLVALINF_V3 values)
 * are decoded: { uuidDsaObjSrc, uuidInvocIdSrc, [unique] DSNAME* pNC, usnvecFrom, usnvecTo,
 * [unique] UPTODATE_VECTOR_V2_EXT* pUpToDateVecSrc, SCHEMA_PREFIX_TABLE PrefixTableSrc,
 * ulExtendedRet, cNumObjects, cNumBytes, [unique] REPLENTINFLIST* pObjects, BOOL fMoreData,
 * cNumNcSizeObjects, cNumNcSizeValues, cNumValues, [size_is(cNumValues)] REPLVALINF* rgValues,
 * dwDRSError }. Compressed replies (V2, V7) are never requested and are refused.
 */
import { NdrReader } from '../ndr/ndr-reader.ts'
import { DrsError } from './drs-error.ts'
import { type DsName, readDsName } from './dsname.ts'
import { PrefixTable } from './prefix-table.ts'
import { readPrefixTable } from './prefix-table-wire.ts'
import { type RawLinkedValue, readReplValInfArray } from './repl-value.ts'
import { type RawEntry, listToArray, readReplEntInf } from './replentinf-list.ts'
import { type UpToDateCursor, type UsnVector, readUpToDateVectorV2, readUsnVector } from './replication-state.ts'

export interface GetNcChangesReply {
  readonly version: 6 | 9
  readonly serverDsa: string
  readonly invocationId: string
  readonly nc?: DsName
  readonly usnFrom: UsnVector
  readonly usnTo: UsnVector
  readonly upToDate?: UpToDateCursor[]
  readonly prefixTable: PrefixTable
  readonly extendedResult: number
  readonly objectCount: number
  readonly byteCount: number
  readonly entries: RawEntry[]
  readonly moreData: boolean
  readonly ncSizeObjects: number
  readonly ncSizeValues: number
  readonly linkedValues: RawLinkedValue[]
  readonly drsError: number
  readonly werror: number
}

/** What an unsupported or failed reply can still tell: its version and the WERROR that ends it. */
export class UnsupportedReply {
  readonly version: number
  readonly werror: number
  constructor(version: number, werror: number) {
    this.version = version
    this.werror = werror
  }
}

const MAX_VALUES = 1_048_576
/**
 * The object list nests one deferral level per object, so this bounds a page's object count.
 * DCs honour cMaxObjects approximately; 262,144 is far above any page we ask for.
 */
export const MAX_OBJECTS_PER_PAGE = 262_144
/** Bytes a transport may leave after the return value (sealing pads to 8 or 16). */
const MAX_TRAILING = 15

export function decodeGetNcChangesReply(stub: Uint8Array): GetNcChangesReply | UnsupportedReply {
  const r = new NdrReader(stub, { maxDepth: MAX_OBJECTS_PER_PAGE + 16 })
  const version = r.u32()
  if (version !== 6 && version !== 9) {
    // An error reply is V1 with a zeroed body (§4.1.10.5); the WERROR is the stub's last ULONG.
    return new UnsupportedReply(version, stub.length >= 8 ? Buffer.from(stub).readUInt32LE(stub.length - 4) : 0)
  }
  const discriminant = r.u32()
  if (discriminant !== version) r.fail(`union discriminant ${discriminant} is not pdwOutVersion ${version}`)
  r.align(8)
  const serverDsa = r.uuid()
  const invocationId = r.uuid()
  let nc: DsName | undefined
  r.pointer(
    () => readDsName(r),
    (v) => (nc = v),
  )
  const usnFrom = readUsnVector(r)
  const usnTo = readUsnVector(r)
  let upToDate: UpToDateCursor[] | undefined
  r.pointer(
    () => readUpToDateVectorV2(r),
    (v) => (upToDate = v),
  )
  const prefixEntries = readPrefixTable(r)
  const extendedResult = r.u32()
  const objectCount = r.u32()
  const byteCount = r.u32()
  let head: RawEntry | undefined
  r.pointer(
    () => readReplEntInf(r),
    (v) => (head = v),
  )
  const moreData = r.u32() !== 0
  const ncSizeObjects = r.u32()
  const ncSizeValues = r.u32()
  const valueCount = r.u32()
  if (valueCount > MAX_VALUES) r.fail(`cNumValues ${valueCount} exceeds ${MAX_VALUES}`)
  const linkedValues: RawLinkedValue[] = []
  const hasValues = r.pointer(
    () => readReplValInfArray(r, valueCount, version === 9, linkedValues),
    () => undefined,
  )
  if (!hasValues && valueCount !== 0) r.fail(`${valueCount} linked values with a NULL rgValues`)
  const drsError = r.u32()
  r.flushDeferred()
  const werror = r.u32()
  if (r.remaining > MAX_TRAILING) r.fail(`${r.remaining} unexpected trailing bytes`)
  return {
    version,
    serverDsa,
    invocationId,
    nc,
    usnFrom,
    usnTo,
    upToDate,
    prefixTable: new PrefixTable(prefixEntries),
    extendedResult,
    objectCount,
    byteCount,
    entries: listToArray(head),
    moreData,
    ncSizeObjects,
    ncSizeValues,
    linkedValues,
    drsError,
    werror,
  }
}

/** For callers that want a DrsError instead of the UnsupportedReply marker. */
export function unsupportedReplyError(reply: UnsupportedReply): DrsError {
  return new DrsError('DRS_REPLY_UNSUPPORTED', `GetNCChanges reply version ${reply.version} is not decoded`)
}
