/**
 * @module REPLVALINF_V1 / REPLVALINF_V3 (MS-DRSR §5.167, §5.168): linked values sent apart from
 * their objects under linked-value replication. Password hash sync does not need them; they are
 * decoded (and bounds-checked) so that the rest of the reply can be read, and kept for callers.
 * V1 = { DSNAME* pObject, attrTyp, ATTRVAL Aval, BOOL fIsPresent,
 *        VALUE_META_DATA_EXT_V1 { DSTIME timeCreated, PROPERTY_META_DATA_EXT MetaData } } (72 bytes),
 * V3 adds { unused1..3, DSTIME timeExpired } to the metadata (96 bytes). Both align to 8.
 */
import type { NdrReader } from '../ndr/ndr-reader.ts'
import { type DsName, readDsName } from './dsname.ts'

export interface RawLinkedValue {
  object?: DsName
  readonly attid: number
  value: Buffer
  readonly isPresent: boolean
  readonly timeCreated: bigint
  readonly version: number
}

const MAX_VALUES = 1_048_576
const MAX_VALUE_BYTES = 26_214_400

/** The rgValues array pointee of a V6 (REPLVALINF_V1) or V9 (REPLVALINF_V3) reply. */
export function readReplValInfArray(r: NdrReader, declared: number, v3: boolean, out: RawLinkedValue[]): void {
  const count = r.count(v3 ? 96 : 72, 'REPLVALINF array', MAX_VALUES)
  if (count !== declared) r.fail(`REPLVALINF array has ${count} values, cNumValues says ${declared}`)
  for (let i = 0; i < count; i++) {
    r.align(8)
    const objectRef = r.referent()
    const attid = r.u32()
    const length = r.u32()
    if (length > MAX_VALUE_BYTES) r.fail(`REPLVALINF valLen ${length} exceeds ${MAX_VALUE_BYTES}`)
    const valueRef = r.referent()
    const isPresent = r.u32() !== 0
    const timeCreated = r.i64()
    const version = r.u32()
    r.i64() // timeChanged
    r.uuidBytes() // uuidDsaOriginating
    r.i64() // usnOriginating
    if (v3) {
      r.u32()
      r.u32()
      r.u32()
      r.i64() // timeExpired
    }
    const item: RawLinkedValue = { attid, value: Buffer.alloc(0), isPresent, timeCreated, version }
    out.push(item)
    if (objectRef !== 0) r.defer(() => (item.object = readDsName(r)))
    if (valueRef !== 0) {
      r.defer(() => {
        const bytes = r.conformantBytes('REPLVALINF pVal')
        if (bytes.length !== length) r.fail(`REPLVALINF has ${bytes.length} bytes, valLen says ${length}`)
        item.value = bytes
      })
    } else if (length !== 0) {
      r.fail(`REPLVALINF value of ${length} bytes has a NULL pVal`)
    }
  }
}
