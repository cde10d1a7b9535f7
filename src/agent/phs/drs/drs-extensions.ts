/**
 * @module DRS_EXTENSIONS (MS-DRSR §5.38/§5.39): a conformant { cb, rgb[cb] } whose rgb holds the
 * DRS_EXTENSIONS_INT fields after cb: dwFlags, SiteObjGuid, Pid, dwReplEpoch, dwFlagsExt,
 * ConfigObjGUID, dwExtCaps. Older peers send fewer fields; cb says how many bytes there are.
 */
import type { NdrReader } from '../ndr/ndr-reader.ts'
import { type NdrWriter, uuidFromBytes } from '../ndr/ndr-writer.ts'
import { CLIENT_EXT_FLAGS } from './drs-constants.ts'

export interface DrsExtensions {
  readonly flags: number
  readonly siteObjGuid?: string
  readonly pid?: number
  readonly replEpoch?: number
  readonly flagsExt?: number
  readonly configObjGuid?: string
  readonly extCaps?: number
  /** cb as sent. */
  readonly length: number
}

/** [range(1,10000)] on DRS_EXTENSIONS.cb. */
const MAX_CB = 10_000

/** The DRS_EXTENSIONS_INT body after cb: 48 bytes, through ConfigObjGUID. */
export function encodeClientExtensions(flags = CLIENT_EXT_FLAGS, flagsExt = 0): Buffer {
  const body = Buffer.alloc(48)
  body.writeUInt32LE(flags >>> 0, 0)
  // SiteObjGuid (4..20) stays NULL: we are not a DC in a site.
  body.writeInt32LE(process.pid | 0, 20) // Pid: informational only
  body.writeUInt32LE(0, 24) // dwReplEpoch: 0 for a client that is not a DC (§4.1.3.1)
  body.writeUInt32LE(flagsExt >>> 0, 28)
  // ConfigObjGUID (32..48) stays NULL for a client that is not a DC (§4.1.3.1).
  return body
}

/** Writes a DRS_EXTENSIONS pointee: conformance, cb, rgb. */
export function writeDrsExtensions(w: NdrWriter, rgb: Uint8Array): void {
  w.u32(rgb.length).u32(rgb.length).bytes(rgb)
}

/** Reads a DRS_EXTENSIONS pointee and interprets as many DRS_EXTENSIONS_INT fields as cb covers. */
export function readDrsExtensions(r: NdrReader): DrsExtensions {
  const conformance = r.count(1, 'DRS_EXTENSIONS', MAX_CB)
  const cb = r.u32()
  if (cb !== conformance) r.fail(`DRS_EXTENSIONS cb ${cb} is not its conformance ${conformance}`)
  const rgb = r.bytes(cb)
  const u32 = (at: number) => (rgb.length >= at + 4 ? rgb.readUInt32LE(at) : undefined)
  const guid = (at: number) => (rgb.length >= at + 16 ? uuidFromBytes(rgb.subarray(at, at + 16)) : undefined)
  return {
    flags: u32(0) ?? 0,
    siteObjGuid: guid(4),
    pid: rgb.length >= 24 ? rgb.readInt32LE(20) : undefined,
    replEpoch: u32(24),
    flagsExt: u32(28),
    configObjGuid: guid(32),
    extCaps: u32(48),
    length: cb,
  }
}
