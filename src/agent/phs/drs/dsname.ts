/**
 * @module DSNAME (MS-DRSR §5.50): { structLen, SidLen, Guid, Sid[28], NameLen, StringName[NameLen+1] },
 * a conformant struct, so its conformance (NameLen + 1) comes first on the wire.
 */
import type { NdrReader } from '../ndr/ndr-reader.ts'
import { type NdrWriter, uuidFromBytes, uuidToBytes } from '../ndr/ndr-writer.ts'
import { DrsError } from './drs-error.ts'

/** How a caller names an object: a DN, a GUID, or both (a SID is optional extra identity). */
export type DsNameRef =
  | string
  | { readonly dn?: string; readonly guid?: string | Uint8Array; readonly sid?: Uint8Array }

/** A DSNAME as decoded from a reply. */
export interface DsName {
  readonly dn: string
  /** objectGUID in wire (Windows GUID) byte order; all zero when the DC did not fill it. */
  readonly guid: Buffer
  /** objectSid, when the DSNAME carries one. */
  readonly sid?: Buffer
}

const SID_FIELD_BYTES = 28
/** The DSNAME fields before StringName. */
const FIXED_BYTES = 4 + 4 + 16 + SID_FIELD_BYTES + 4

function normalize(ref: DsNameRef): { dn: string; guid: Buffer; sid: Buffer | undefined } {
  const value = typeof ref === 'string' ? { dn: ref } : ref
  const guid =
    value.guid === undefined
      ? Buffer.alloc(16)
      : typeof value.guid === 'string'
        ? uuidToBytes(value.guid)
        : Buffer.from(value.guid)
  if (guid.length !== 16) throw new DrsError('DRS_INVALID_REQUEST', 'a DSNAME GUID has 16 bytes')
  const dn = value.dn ?? ''
  if (!dn && guid.equals(Buffer.alloc(16))) throw new DrsError('DRS_INVALID_REQUEST', 'a DSNAME needs a DN or a GUID')
  if (value.sid && value.sid.length > SID_FIELD_BYTES) {
    throw new DrsError('DRS_INVALID_REQUEST', 'a DSNAME SID has at most 28 bytes')
  }
  return { dn, guid, sid: value.sid ? Buffer.from(value.sid) : undefined }
}

/** Writes a DSNAME pointee. */
export function writeDsName(w: NdrWriter, ref: DsNameRef): void {
  const { dn, guid, sid } = normalize(ref)
  const name = Buffer.from(`${dn}\0`, 'utf16le')
  const units = name.length / 2
  w.u32(units) // conformance: NameLen + 1
  w.u32(FIXED_BYTES + name.length) // structLen: the whole structure, in bytes
  w.u32(sid?.length ?? 0)
  w.uuid(guid)
  const sidField = Buffer.alloc(SID_FIELD_BYTES)
  sid?.copy(sidField)
  w.bytes(sidField)
  w.u32(units - 1)
  w.bytes(name)
}

/** Reads a DSNAME pointee. */
export function readDsName(r: NdrReader): DsName {
  const conformance = r.u32()
  r.u32() // structLen: redundant with NameLen, not trusted
  const sidLen = r.u32()
  const guid = r.uuidBytes()
  const sidField = r.bytes(SID_FIELD_BYTES)
  const nameLen = r.u32()
  if (sidLen > SID_FIELD_BYTES) r.fail(`DSNAME SidLen ${sidLen} exceeds ${SID_FIELD_BYTES}`)
  if (conformance !== nameLen + 1) r.fail(`DSNAME conformance ${conformance} is not NameLen ${nameLen} + 1`)
  let dn = r.bytes(conformance * 2).toString('utf16le')
  if (dn.endsWith('\0')) dn = dn.slice(0, -1)
  return sidLen ? { dn, guid, sid: sidField.subarray(0, sidLen) } : { dn, guid }
}

/** A DSNAME's GUID as text, or undefined when it is the NULL GUID. */
export function dsNameGuid(name: DsName): string | undefined {
  return name.guid.equals(Buffer.alloc(16)) ? undefined : uuidFromBytes(name.guid)
}
