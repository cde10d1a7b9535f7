/**
 * @module Connection-oriented DCE/RPC PDUs (C706 ch. 12, MS-RPCE §2.2.2): the common header, the
 * sec_trailer, and request, response and fault. Only NDR little-endian ASCII IEEE data
 * representation is accepted, and every offset read from the wire is checked against the PDU's
 * own length, so a hostile or broken server produces RPC_MALFORMED_PDU and nothing worse.
 */
import { malformed } from './rpc-error.ts'

export const PduType = {
  REQUEST: 0,
  RESPONSE: 2,
  FAULT: 3,
  BIND: 11,
  BIND_ACK: 12,
  BIND_NAK: 13,
  ALTER_CONTEXT: 14,
  ALTER_CONTEXT_RESP: 15,
  AUTH3: 16,
  SHUTDOWN: 17,
} as const

export const PfcFlag = {
  FIRST_FRAG: 0x01,
  LAST_FRAG: 0x02,
  /** In bind and bind_ack: header signing is supported (MS-RPCE §2.2.2.3). */
  SUPPORT_HEADER_SIGN: 0x04,
  DID_NOT_EXECUTE: 0x20,
  OBJECT_UUID: 0x80,
} as const

export const AUTH_TYPE_WINNT = 10
export const AUTH_LEVEL_PRIVACY = 6
export const HEADER_LENGTH = 16
export const SEC_TRAILER_LENGTH = 8
/** Header plus alloc_hint, p_cont_id and opnum (or cancel_count): where request and response stubs start. */
export const STUB_OFFSET = 24
/** MS-RPCE §2.2.2.11: the sec_trailer is 16-byte aligned relative to the start of the stub. */
export const AUTH_PAD_ALIGNMENT = 16

/** The 16-byte common header every connection-oriented PDU starts with. */
export interface PduHeader {
  readonly type: number
  readonly flags: number
  readonly fragLength: number
  readonly authLength: number
  readonly callId: number
}

/** The sec_trailer (auth_verifier_co_t) fields, minus the token that follows it. */
export interface SecTrailer {
  readonly authType: number
  readonly authLevel: number
  readonly padLength: number
  readonly contextId: number
}

/** A PDU's auth verifier: where its sec_trailer starts, the trailer, and the auth_value token. */
export interface AuthVerifier {
  readonly trailerOffset: number
  readonly trailer: SecTrailer
  readonly value: Buffer
}

export function encodeHeader(h: PduHeader): Buffer {
  const buf = Buffer.alloc(HEADER_LENGTH)
  buf.writeUInt8(5, 0)
  buf.writeUInt8(0, 1)
  buf.writeUInt8(h.type, 2)
  buf.writeUInt8(h.flags, 3)
  buf.writeUInt32LE(0x00000010, 4) // drep: little-endian integers, ASCII, IEEE floats
  buf.writeUInt16LE(h.fragLength, 8)
  buf.writeUInt16LE(h.authLength, 10)
  buf.writeUInt32LE(h.callId >>> 0, 12)
  return buf
}

/**
 * Checks version and data representation of a header prefix and returns frag_length, so the
 * socket reader knows how much to wait for; needs at least 10 bytes.
 */
export function readFragLength(buf: Buffer): number {
  if (buf.length < 10) throw new RangeError('need 10 bytes of header')
  if (buf[0] !== 5 || (buf[1] !== 0 && buf[1] !== 1)) throw malformed(`RPC version ${buf[0]}.${buf[1]}, expected 5.0`)
  if ((buf[4]! & 0xf0) !== 0x10 || (buf[4]! & 0x0f) !== 0 || buf[5] !== 0) {
    throw malformed(`data representation ${buf.subarray(4, 8).toString('hex')} is not little-endian ASCII IEEE`)
  }
  const fragLength = buf.readUInt16LE(8)
  if (fragLength < HEADER_LENGTH) throw malformed(`frag_length ${fragLength} is shorter than the header`)
  return fragLength
}

/** Decodes the header of one complete PDU whose length must equal its frag_length. */
export function decodeHeader(pdu: Buffer): PduHeader {
  if (pdu.length < HEADER_LENGTH) throw malformed(`${pdu.length}-byte PDU is shorter than the header`)
  const fragLength = readFragLength(pdu)
  if (fragLength !== pdu.length) throw malformed(`frag_length ${fragLength} but the PDU has ${pdu.length} bytes`)
  return {
    type: pdu[2]!,
    flags: pdu[3]!,
    fragLength,
    authLength: pdu.readUInt16LE(10),
    callId: pdu.readUInt32LE(12),
  }
}

/** The auth verifier at the end of a PDU whose body starts at `bodyStart`, or undefined without one. */
export function decodeAuthVerifier(pdu: Buffer, h: PduHeader, bodyStart: number): AuthVerifier | undefined {
  if (h.authLength === 0) return undefined
  const trailerOffset = h.fragLength - h.authLength - SEC_TRAILER_LENGTH
  if (trailerOffset < bodyStart) {
    throw malformed(`auth_length ${h.authLength} does not fit in a ${h.fragLength}-byte PDU type ${h.type}`)
  }
  const trailer: SecTrailer = {
    authType: pdu[trailerOffset]!,
    authLevel: pdu[trailerOffset + 1]!,
    padLength: pdu[trailerOffset + 2]!,
    contextId: pdu.readUInt32LE(trailerOffset + 4),
  }
  if (trailer.padLength > trailerOffset - bodyStart) {
    throw malformed(`auth_pad_length ${trailer.padLength} is longer than the PDU body`)
  }
  return { trailerOffset, trailer, value: pdu.subarray(trailerOffset + SEC_TRAILER_LENGTH) }
}

export function encodeSecTrailer(t: SecTrailer): Buffer {
  const buf = Buffer.alloc(SEC_TRAILER_LENGTH)
  buf.writeUInt8(t.authType, 0)
  buf.writeUInt8(t.authLevel, 1)
  buf.writeUInt8(t.padLength, 2)
  buf.writeUInt32LE(t.contextId >>> 0, 4)
  return buf
}

/** The parts of one request fragment. */
export interface RequestFragment {
  readonly callId: number
  readonly flags: number
  /** Stub bytes still to come from this fragment on: a hint for the server's buffer. */
  readonly allocHint: number
  readonly contextId: number
  readonly opnum: number
  readonly stub: Buffer
}

/**
 * A request fragment. With `auth`, the stub is padded to AUTH_PAD_ALIGNMENT and followed by the
 * sec_trailer; frag_length and auth_length already count the `auth.valueLength` bytes of token
 * that the caller appends after signing everything returned here.
 */
export function encodeRequest(
  r: RequestFragment,
  auth?: { readonly authType: number; readonly authLevel: number; readonly contextId: number; readonly valueLength: number },
): Buffer {
  const padLength = auth ? (AUTH_PAD_ALIGNMENT - (r.stub.length % AUTH_PAD_ALIGNMENT)) % AUTH_PAD_ALIGNMENT : 0
  const tail = auth
    ? [Buffer.alloc(padLength), encodeSecTrailer({ ...auth, padLength })]
    : []
  const bodyLength = STUB_OFFSET - HEADER_LENGTH + r.stub.length + padLength + (auth ? SEC_TRAILER_LENGTH : 0)
  const fragLength = HEADER_LENGTH + bodyLength + (auth?.valueLength ?? 0)
  if (fragLength > 0xffff) throw new RangeError(`request fragment of ${fragLength} bytes exceeds 65535`)
  const body = Buffer.alloc(STUB_OFFSET - HEADER_LENGTH)
  body.writeUInt32LE(r.allocHint >>> 0, 0)
  body.writeUInt16LE(r.contextId, 4)
  body.writeUInt16LE(r.opnum, 6)
  const header = encodeHeader({
    type: PduType.REQUEST,
    flags: r.flags,
    fragLength,
    authLength: auth?.valueLength ?? 0,
    callId: r.callId,
  })
  return Buffer.concat([header, body, r.stub, ...tail])
}

/** A response fragment: its stub is `pdu[stubStart, stubEnd)`, still sealed when `auth` is present. */
export interface ResponseFragment {
  readonly header: PduHeader
  readonly allocHint: number
  readonly contextId: number
  readonly stubStart: number
  readonly stubEnd: number
  readonly auth: AuthVerifier | undefined
}

export function decodeResponse(pdu: Buffer, h: PduHeader): ResponseFragment {
  if (h.fragLength < STUB_OFFSET) throw malformed(`${h.fragLength}-byte response is shorter than its 24-byte header`)
  const auth = decodeAuthVerifier(pdu, h, STUB_OFFSET)
  return {
    header: h,
    allocHint: pdu.readUInt32LE(16),
    contextId: pdu.readUInt16LE(20),
    stubStart: STUB_OFFSET,
    stubEnd: auth ? auth.trailerOffset : h.fragLength,
    auth,
  }
}

/** A fault's status: an nca_s_* code or a Win32 error, plus whether the call surely did not run. */
export interface Fault {
  readonly status: number
  readonly didNotExecute: boolean
}

export function decodeFault(pdu: Buffer, h: PduHeader): Fault {
  if (h.fragLength < 28) throw malformed(`${h.fragLength}-byte fault is too short for its status`)
  return { status: pdu.readUInt32LE(24), didNotExecute: (h.flags & PfcFlag.DID_NOT_EXECUTE) !== 0 }
}
