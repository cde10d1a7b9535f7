/** @module Interface and transfer syntax ids as bind PDUs carry them; UUIDs in NDR's wire form. */

import { uuidFromBytes, uuidToBytes } from '../ndr/ndr-writer.ts'

/** An RPC interface or transfer syntax: its UUID and its major.minor version. */
export interface SyntaxId {
  readonly uuid: string
  readonly version: readonly [major: number, minor: number]
}

/** NDR 2.0, the only transfer syntax this client offers. */
export const NDR_SYNTAX: SyntaxId = { uuid: '8a885d04-1ceb-11c9-9fe8-08002b104860', version: [2, 0] }

/** p_syntax_id_t: UUID, then the version as one u32 with the major number in the low half. */
export function encodeSyntaxId(s: SyntaxId): Buffer {
  const buf = Buffer.alloc(20)
  uuidToBytes(s.uuid).copy(buf, 0)
  buf.writeUInt16LE(s.version[0], 16)
  buf.writeUInt16LE(s.version[1], 18)
  return buf
}

export function decodeSyntaxId(buf: Buffer, at: number): SyntaxId {
  return {
    uuid: uuidFromBytes(buf.subarray(at, at + 16)),
    version: [buf.readUInt16LE(at + 16), buf.readUInt16LE(at + 18)],
  }
}
