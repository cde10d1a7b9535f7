/** @module UUIDs in their DCE wire form: the first three fields little-endian, the last eight bytes as written. */

const FORMAT = /^([0-9a-f]{8})-([0-9a-f]{4})-([0-9a-f]{4})-([0-9a-f]{4})-([0-9a-f]{12})$/i

/** An RPC interface or transfer syntax: its UUID and its major.minor version. */
export interface SyntaxId {
  readonly uuid: string
  readonly version: readonly [major: number, minor: number]
}

/** NDR 2.0, the only transfer syntax this client offers. */
export const NDR_SYNTAX: SyntaxId = { uuid: '8a885d04-1ceb-11c9-9fe8-08002b104860', version: [2, 0] }

export function uuidToBytes(uuid: string): Buffer {
  const m = FORMAT.exec(uuid)
  if (!m) throw new RangeError(`not a UUID: ${JSON.stringify(uuid)}`)
  const buf = Buffer.alloc(16)
  buf.writeUInt32LE(parseInt(m[1]!, 16), 0)
  buf.writeUInt16LE(parseInt(m[2]!, 16), 4)
  buf.writeUInt16LE(parseInt(m[3]!, 16), 6)
  Buffer.from(m[4]! + m[5]!, 'hex').copy(buf, 8)
  return buf
}

export function uuidFromBytes(buf: Uint8Array): string {
  if (buf.length !== 16) throw new RangeError(`a UUID has 16 bytes, got ${buf.length}`)
  const b = Buffer.from(buf)
  const h = (n: number, width: number) => n.toString(16).padStart(width, '0')
  const rest = b.subarray(8).toString('hex')
  return `${h(b.readUInt32LE(0), 8)}-${h(b.readUInt16LE(4), 4)}-${h(b.readUInt16LE(6), 4)}-${rest.slice(0, 4)}-${rest.slice(4)}`
}

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
