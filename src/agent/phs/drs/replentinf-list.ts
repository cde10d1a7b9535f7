/**
 * @module REPLENTINFLIST (MS-DRSR §5.162) as read from a GetNCChanges reply:
 * { REPLENTINFLIST* pNextEntInf, ENTINF { DSNAME* pName, ulFlags, ATTRBLOCK { attrCount, ATTR* pAttr } },
 *   BOOL fIsNCPrefix, UUID* pParentGuid, PROPERTY_META_DATA_EXT_VECTOR* pMetaDataExt }, with
 * ATTR = { attrTyp, ATTRVALBLOCK { valCount, ATTRVAL* pAVal } } and ATTRVAL = { valLen, UCHAR* pVal }.
 * Pointees are deferred depth-first, so the whole rest of the list arrives before an entry's own
 * name and attributes; the reader's deferral stack (bounded) handles that without recursion.
 */
import type { NdrReader } from '../ndr/ndr-reader.ts'
import { uuidFromBytes } from '../ndr/ndr-writer.ts'
import { type DsName, readDsName } from './dsname.ts'

export interface RawAttribute {
  readonly attid: number
  readonly values: Buffer[]
}

/** PROPERTY_META_DATA_EXT: the stamp of an attribute's last originating write. */
export interface PropertyStamp {
  readonly version: number
  /** DSTIME: seconds since 1601-01-01 UTC. */
  readonly timeChanged: bigint
  readonly originatingInvocationId: string
  readonly usnOriginating: bigint
}

export interface RawEntry {
  next?: RawEntry
  name?: DsName
  flags: number
  attributes: RawAttribute[]
  isNcPrefix: boolean
  parentGuid?: Buffer
  metaData?: PropertyStamp[]
}

/** [range(0,1048576)] on attrCount, valCount and cNumProps. */
const MAX_ITEMS = 1_048_576
/** [range(0,26214400)] on valLen. */
const MAX_VALUE_BYTES = 26_214_400

function readAttrValues(r: NdrReader, declared: number, values: Buffer[]): void {
  const count = r.count(8, 'ATTRVAL array', MAX_ITEMS)
  if (count !== declared) r.fail(`ATTRVALBLOCK has ${count} values, valCount says ${declared}`)
  for (let i = 0; i < count; i++) {
    const length = r.u32()
    if (length > MAX_VALUE_BYTES) r.fail(`ATTRVAL valLen ${length} exceeds ${MAX_VALUE_BYTES}`)
    const slot = values.length
    values.push(Buffer.alloc(0))
    const present = r.pointer(
      () => r.conformantBytes('ATTRVAL pVal'),
      (bytes) => {
        if (bytes.length !== length) r.fail(`ATTRVAL has ${bytes.length} bytes, valLen says ${length}`)
        values[slot] = bytes
      },
    )
    if (!present && length !== 0) r.fail(`ATTRVAL of ${length} bytes has a NULL pVal`)
  }
}

function readAttrArray(r: NdrReader, declared: number, attributes: RawAttribute[]): void {
  const count = r.count(12, 'ATTR array', MAX_ITEMS)
  if (count !== declared) r.fail(`ATTRBLOCK has ${count} attributes, attrCount says ${declared}`)
  for (let i = 0; i < count; i++) {
    const attr: RawAttribute = { attid: r.u32(), values: [] }
    attributes.push(attr)
    const valCount = r.u32()
    if (valCount > MAX_ITEMS) r.fail(`ATTRVALBLOCK valCount ${valCount} exceeds ${MAX_ITEMS}`)
    const present = r.pointer(
      () => readAttrValues(r, valCount, attr.values),
      () => undefined,
    )
    if (!present && valCount !== 0) r.fail(`ATTRVALBLOCK of ${valCount} values has a NULL pAVal`)
  }
}

/** ATTRBLOCK, inline: attrCount and the deferred ATTR array. */
export function readAttrBlock(r: NdrReader, attributes: RawAttribute[]): void {
  const declared = r.u32()
  if (declared > MAX_ITEMS) r.fail(`ATTRBLOCK attrCount ${declared} exceeds ${MAX_ITEMS}`)
  const present = r.pointer(
    () => readAttrArray(r, declared, attributes),
    () => undefined,
  )
  if (!present && declared !== 0) r.fail(`ATTRBLOCK of ${declared} attributes has a NULL pAttr`)
}

/** PROPERTY_META_DATA_EXT_VECTOR pointee: conformance, cNumProps, 40-byte stamps aligned to 8. */
function readMetaDataVector(r: NdrReader): PropertyStamp[] {
  const conformance = r.count(40, 'PROPERTY_META_DATA_EXT_VECTOR', MAX_ITEMS)
  r.align(8)
  const count = r.u32()
  if (count !== conformance) r.fail(`PROPERTY_META_DATA_EXT_VECTOR cNumProps ${count} is not ${conformance}`)
  const stamps: PropertyStamp[] = []
  for (let i = 0; i < count; i++) {
    r.align(8)
    const version = r.u32()
    const timeChanged = r.i64()
    const originatingInvocationId = uuidFromBytes(r.uuidBytes())
    stamps.push({ version, timeChanged, originatingInvocationId, usnOriginating: r.i64() })
  }
  return stamps
}

/** One REPLENTINFLIST element's scalars; its pointees (the next element first) are deferred. */
export function readReplEntInf(r: NdrReader): RawEntry {
  const entry: RawEntry = { flags: 0, attributes: [], isNcPrefix: false }
  r.pointer(
    () => readReplEntInf(r),
    (next) => (entry.next = next),
  )
  r.pointer(
    () => readDsName(r),
    (name) => (entry.name = name),
  )
  entry.flags = r.u32()
  readAttrBlock(r, entry.attributes)
  entry.isNcPrefix = r.u32() !== 0
  r.pointer(
    () => r.uuidBytes(),
    (guid) => (entry.parentGuid = guid),
  )
  r.pointer(
    () => readMetaDataVector(r),
    (stamps) => (entry.metaData = stamps),
  )
  return entry
}

/** The list as an array, walked iteratively after the reader flushed. */
export function listToArray(head: RawEntry | undefined): RawEntry[] {
  const out: RawEntry[] = []
  for (let e = head; e; e = e.next) out.push(e)
  return out
}
