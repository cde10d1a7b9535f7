/**
 * @module The three NTLMSSP messages (MS-NLMP §2.2.1): NEGOTIATE and AUTHENTICATE that the client
 * writes, and CHALLENGE that the server sends and this module decodes with a bounds check on every
 * field, because the bytes come from the network before anyone is authenticated.
 */
import { malformed } from './rpc-error.ts'

/** NegotiateFlags bits (MS-NLMP §2.2.2.5) that this client uses or checks. */
export const NtlmFlag = {
  UNICODE: 0x00000001,
  REQUEST_TARGET: 0x00000004,
  SIGN: 0x00000010,
  SEAL: 0x00000020,
  NTLM: 0x00000200,
  ALWAYS_SIGN: 0x00008000,
  EXTENDED_SESSIONSECURITY: 0x00080000,
  TARGET_INFO: 0x00800000,
  VERSION: 0x02000000,
  NEGOTIATE_128: 0x20000000,
  KEY_EXCH: 0x40000000,
  NEGOTIATE_56: 0x80000000,
} as const

/** AV_PAIR ids (MS-NLMP §2.2.2.1) that the client reads or adds. */
export const AvId = {
  EOL: 0,
  NB_COMPUTER_NAME: 1,
  NB_DOMAIN_NAME: 2,
  FLAGS: 6,
  TIMESTAMP: 7,
} as const

/** One AV_PAIR of a CHALLENGE's TargetInfo, value kept as raw bytes. */
export interface AvPair {
  readonly id: number
  readonly value: Buffer
}

/** What the client needs from a CHALLENGE_MESSAGE; `raw` is kept because the MIC covers it verbatim. */
export interface NtlmChallenge {
  readonly flags: number
  readonly serverChallenge: Buffer
  /** TargetInfo as AV pairs, EOL excluded; empty when the server sent none. */
  readonly targetInfo: readonly AvPair[]
  readonly raw: Buffer
}

const SIGNATURE = Buffer.from('NTLMSSP\0', 'latin1')
const NEGOTIATE_LENGTH = 40
const AUTHENTICATE_HEADER_LENGTH = 88
/** Where the 16-byte MIC sits in an AUTHENTICATE_MESSAGE that carries a Version field. */
export const AUTHENTICATE_MIC_OFFSET = 72

// Version is informational only (MS-NLMP §2.2.2.10); the revision byte 0x0F is the one that counts.
const VERSION = Buffer.from([10, 0, 0, 0, 0, 0, 0, 0x0f])

function fields(buf: Buffer, at: number, length: number, offset: number): void {
  buf.writeUInt16LE(length, at)
  buf.writeUInt16LE(length, at + 2)
  buf.writeUInt32LE(offset, at + 4)
}

/** NEGOTIATE_MESSAGE without domain or workstation (neither OEM_*_SUPPLIED flag is set). */
export function encodeNegotiate(flags: number): Buffer {
  const buf = Buffer.alloc(NEGOTIATE_LENGTH)
  SIGNATURE.copy(buf, 0)
  buf.writeUInt32LE(1, 8)
  buf.writeUInt32LE(flags >>> 0, 12)
  fields(buf, 16, 0, NEGOTIATE_LENGTH)
  fields(buf, 24, 0, NEGOTIATE_LENGTH)
  VERSION.copy(buf, 32)
  return buf
}

function slice(buf: Buffer, at: number, what: string): Buffer {
  const length = buf.readUInt16LE(at)
  const offset = buf.readUInt32LE(at + 4)
  if (length === 0) return Buffer.alloc(0) // some servers leave the offset of an empty field at 0 or anywhere
  if (offset > buf.length || length > buf.length - offset) {
    throw malformed(`NTLM CHALLENGE: ${what} (${length} bytes at ${offset}) lies outside the ${buf.length}-byte message`)
  }
  return buf.subarray(offset, offset + length)
}

/** Parses AV pairs up to MsvAvEOL; a list without EOL or with a pair past the end is malformed. */
export function decodeAvPairs(info: Buffer): AvPair[] {
  const pairs: AvPair[] = []
  let at = 0
  for (;;) {
    if (info.length - at < 4) throw malformed('NTLM CHALLENGE: TargetInfo ends without MsvAvEOL')
    const id = info.readUInt16LE(at)
    const length = info.readUInt16LE(at + 2)
    at += 4
    if (id === AvId.EOL) return pairs
    if (length > info.length - at) throw malformed(`NTLM CHALLENGE: AV pair ${id} runs past TargetInfo`)
    pairs.push({ id, value: Buffer.from(info.subarray(at, at + length)) })
    at += length
  }
}

/** AV pairs followed by MsvAvEOL. */
export function encodeAvPairs(pairs: readonly AvPair[]): Buffer {
  const parts: Buffer[] = []
  for (const { id, value } of [...pairs, { id: AvId.EOL, value: Buffer.alloc(0) }]) {
    const head = Buffer.alloc(4)
    head.writeUInt16LE(id, 0)
    head.writeUInt16LE(value.length, 2)
    parts.push(head, value)
  }
  return Buffer.concat(parts)
}

export function decodeChallenge(input: Uint8Array): NtlmChallenge {
  const buf = Buffer.from(input)
  if (buf.length < 32) throw malformed(`NTLM CHALLENGE: ${buf.length} bytes is shorter than its 32-byte header`)
  if (!buf.subarray(0, 8).equals(SIGNATURE)) throw malformed('NTLM CHALLENGE: no NTLMSSP signature')
  const type = buf.readUInt32LE(8)
  if (type !== 2) throw malformed(`NTLM CHALLENGE: message type ${type}, expected 2`)
  slice(buf, 12, 'TargetName')
  const flags = buf.readUInt32LE(20)
  const serverChallenge = Buffer.from(buf.subarray(24, 32))
  let targetInfo: AvPair[] = []
  if (flags & NtlmFlag.TARGET_INFO) {
    if (buf.length < 48) throw malformed('NTLM CHALLENGE: TARGET_INFO is set but the header has no TargetInfoFields')
    targetInfo = decodeAvPairs(slice(buf, 40, 'TargetInfo'))
  }
  return { flags, serverChallenge, targetInfo, raw: buf }
}

/** The inputs of an AUTHENTICATE_MESSAGE; strings go out as UTF-16LE because UNICODE is required. */
export interface AuthenticateFields {
  readonly flags: number
  readonly lmResponse: Buffer
  readonly ntResponse: Buffer
  readonly domain: string
  readonly username: string
  readonly workstation: string
  readonly encryptedRandomSessionKey: Buffer
}

/** AUTHENTICATE_MESSAGE with Version and a zeroed MIC at AUTHENTICATE_MIC_OFFSET for the caller to fill. */
export function encodeAuthenticate(f: AuthenticateFields): Buffer {
  const payloads = [
    Buffer.from(f.lmResponse),
    Buffer.from(f.ntResponse),
    Buffer.from(f.domain, 'utf16le'),
    Buffer.from(f.username, 'utf16le'),
    Buffer.from(f.workstation, 'utf16le'),
    Buffer.from(f.encryptedRandomSessionKey),
  ]
  for (const p of payloads) {
    if (p.length > 0xffff) throw malformed('NTLM AUTHENTICATE: a field is longer than 65535 bytes')
  }
  const head = Buffer.alloc(AUTHENTICATE_HEADER_LENGTH)
  SIGNATURE.copy(head, 0)
  head.writeUInt32LE(3, 8)
  let offset = AUTHENTICATE_HEADER_LENGTH
  payloads.forEach((p, n) => {
    fields(head, 12 + n * 8, p.length, offset)
    offset += p.length
  })
  head.writeUInt32LE(f.flags >>> 0, 60)
  VERSION.copy(head, 64)
  return Buffer.concat([head, ...payloads])
}
