/**
 * @module The NTLMv2 computations of MS-NLMP §3.3.2 and §3.1.5.1.2: the response key, the
 * NTLMv2 and LMv2 responses, the session base key, key exchange and the MIC. Pure functions over
 * buffers so that the §4.2.4 test vectors pin each one down.
 */
import { createHmac } from 'node:crypto'
import { ntHash } from '../../../crypto/org-id-hash.ts'
import { rc4 } from '../../../crypto/rc4.ts'

function hmacMd5(key: Uint8Array, ...parts: Uint8Array[]): Buffer {
  const h = createHmac('md5', key)
  for (const p of parts) h.update(p)
  return h.digest()
}

/** NTOWFv2: HMAC_MD5(MD4(UTF-16LE(password)), UTF-16LE(UPPER(user) + domain)); the domain keeps its case. */
export async function ntowfV2(password: string, username: string, domain: string): Promise<Buffer> {
  const nt = await ntHash(password)
  try {
    return hmacMd5(nt, Buffer.from(username.toUpperCase() + domain, 'utf16le'))
  } finally {
    nt.fill(0)
  }
}

/** Windows FILETIME (100 ns ticks since 1601-01-01) as the 8 little-endian bytes NTLM carries. */
export function fileTime(epochMs: number): Buffer {
  const buf = Buffer.alloc(8)
  buf.writeBigUInt64LE((BigInt(Math.trunc(epochMs)) + 11_644_473_600_000n) * 10_000n)
  return buf
}

/** The inputs of one NTLMv2 response. */
export interface NtlmV2Input {
  /** NTOWFv2 of the user; LMOWFv2 is the same value. */
  readonly responseKey: Buffer
  readonly serverChallenge: Buffer
  readonly clientChallenge: Buffer
  /** FILETIME, 8 bytes: the server's MsvAvTimestamp when it sent one. */
  readonly time: Buffer
  /** The AV pairs the client puts in the response, MsvAvEOL included. */
  readonly targetInfo: Buffer
}

/** The NTLMv2 results the AUTHENTICATE_MESSAGE and the key derivation need. */
export interface NtlmV2Result {
  readonly ntProofStr: Buffer
  /** NTProofStr followed by the client blob ("temp" in the spec). */
  readonly ntResponse: Buffer
  readonly sessionBaseKey: Buffer
}

export function ntlmV2Response(input: NtlmV2Input): NtlmV2Result {
  const temp = Buffer.concat([
    Buffer.from([1, 1]),
    Buffer.alloc(6),
    input.time,
    input.clientChallenge,
    Buffer.alloc(4),
    input.targetInfo,
    Buffer.alloc(4),
  ])
  const ntProofStr = hmacMd5(input.responseKey, input.serverChallenge, temp)
  return {
    ntProofStr,
    ntResponse: Buffer.concat([ntProofStr, temp]),
    // For NTLMv2 the key exchange key is this session base key itself (KXKEY, §3.4.5.1).
    sessionBaseKey: hmacMd5(input.responseKey, ntProofStr),
  }
}

/** LMv2: HMAC_MD5(key, server || client challenge) || client challenge. Sent only without a server timestamp. */
export function lmV2Response(responseKey: Buffer, serverChallenge: Buffer, clientChallenge: Buffer): Buffer {
  return Buffer.concat([hmacMd5(responseKey, serverChallenge, clientChallenge), clientChallenge])
}

/** NEGOTIATE_KEY_EXCH: the random exported session key travels RC4-encrypted under the key exchange key. */
export function encryptRandomSessionKey(keyExchangeKey: Buffer, exportedSessionKey: Buffer): Buffer {
  return rc4(keyExchangeKey, exportedSessionKey)
}

/** MIC over the three messages, with the AUTHENTICATE_MESSAGE's MIC field still zero. */
export function messageIntegrityCode(
  exportedSessionKey: Buffer,
  negotiate: Buffer,
  challenge: Buffer,
  authenticate: Buffer,
): Buffer {
  return hmacMd5(exportedSessionKey, negotiate, challenge, authenticate)
}
