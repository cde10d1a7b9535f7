/**
 * @module The client side of one NTLMv2 handshake: NEGOTIATE out, CHALLENGE in, AUTHENTICATE out,
 * and the session security context that results. It refuses a server that would not give 128-bit
 * sealing with extended session security, so a tampered CHALLENGE cannot downgrade the session.
 */
import { randomBytes } from 'node:crypto'
import {
  AUTHENTICATE_MIC_OFFSET,
  type AvPair,
  AvId,
  NtlmFlag,
  decodeChallenge,
  encodeAuthenticate,
  encodeAvPairs,
  encodeNegotiate,
} from './ntlm-messages.ts'
import { NtlmSecurityContext } from './ntlm-security-context.ts'
import {
  encryptRandomSessionKey,
  fileTime,
  lmV2Response,
  messageIntegrityCode,
  ntlmV2Response,
  ntowfV2,
} from './ntlm-v2.ts'
import { RpcError } from './rpc-error.ts'

/** Who signs in. The password stays in memory: it is never logged, put in argv, env or an error. */
export interface RpcCredentials {
  /** The NetBIOS domain name, such as CONTOSO. */
  readonly domain: string
  /** sAMAccountName, without the domain. */
  readonly username: string
  readonly password: string
}

export const CLIENT_FLAGS =
  NtlmFlag.UNICODE |
  NtlmFlag.REQUEST_TARGET |
  NtlmFlag.SIGN |
  NtlmFlag.SEAL |
  NtlmFlag.NTLM |
  NtlmFlag.ALWAYS_SIGN |
  NtlmFlag.EXTENDED_SESSIONSECURITY |
  NtlmFlag.TARGET_INFO |
  NtlmFlag.VERSION |
  NtlmFlag.NEGOTIATE_128 |
  NtlmFlag.KEY_EXCH |
  NtlmFlag.NEGOTIATE_56

// Packet privacy without these would be weak (40/56-bit RC4, no ESS) or impossible.
const REQUIRED_FLAGS =
  NtlmFlag.UNICODE | NtlmFlag.SIGN | NtlmFlag.SEAL | NtlmFlag.EXTENDED_SESSIONSECURITY | NtlmFlag.NEGOTIATE_128

const MSV_AV_FLAG_MIC_PRESENT = 0x2

/** Test seams; production uses the clock and the CSPRNG. */
export interface NtlmClientOptions {
  readonly randomBytes?: (size: number) => Buffer
  readonly now?: () => number
}

/** The end of a successful handshake: the last message to send and the session it opens. */
export interface NtlmAuthentication {
  readonly authenticateMessage: Buffer
  readonly context: NtlmSecurityContext
  /** The exported session key, which MS-DRSR uses to decrypt secret attributes. */
  readonly sessionKey: Buffer
}

export class NtlmClient {
  readonly negotiateMessage = encodeNegotiate(CLIENT_FLAGS)
  readonly #credentials: RpcCredentials
  readonly #random: (size: number) => Buffer
  readonly #now: () => number

  constructor(credentials: RpcCredentials, options: NtlmClientOptions = {}) {
    this.#credentials = credentials
    this.#random = options.randomBytes ?? randomBytes
    this.#now = options.now ?? Date.now
  }

  /** Answers the server's CHALLENGE; throws RPC_MALFORMED_PDU or RPC_AUTH_UNSUPPORTED. */
  async authenticate(challengeMessage: Buffer): Promise<NtlmAuthentication> {
    const challenge = decodeChallenge(challengeMessage)
    const missing = REQUIRED_FLAGS & ~challenge.flags
    if (missing !== 0) {
      throw new RpcError(
        'RPC_AUTH_UNSUPPORTED',
        `the server did not agree to NTLM flags 0x${missing.toString(16).padStart(8, '0')} ` +
          '(needed: UNICODE, SIGN, SEAL, EXTENDED_SESSIONSECURITY, 128)',
        { data: { serverFlags: challenge.flags } },
      )
    }
    const flags = (challenge.flags & CLIENT_FLAGS) >>> 0
    const keyExchange = (flags & NtlmFlag.KEY_EXCH) !== 0
    const timestamp = challenge.targetInfo.find((p) => p.id === AvId.TIMESTAMP && p.value.length === 8)

    // With a server timestamp the MIC is expected (§3.1.5.1.2), and MsvAvFlags announces it.
    const pairs: AvPair[] = challenge.targetInfo.filter((p) => p.id !== AvId.FLAGS)
    if (timestamp) {
      const old = challenge.targetInfo.find((p) => p.id === AvId.FLAGS && p.value.length === 4)
      const value = Buffer.alloc(4)
      value.writeUInt32LE(((old?.value.readUInt32LE(0) ?? 0) | MSV_AV_FLAG_MIC_PRESENT) >>> 0)
      pairs.push({ id: AvId.FLAGS, value })
    }

    const { domain, username, password } = this.#credentials
    const responseKey = await ntowfV2(password, username, domain)
    const clientChallenge = this.#random(8)
    const v2 = ntlmV2Response({
      responseKey,
      serverChallenge: challenge.serverChallenge,
      clientChallenge,
      time: timestamp?.value ?? fileTime(this.#now()),
      targetInfo: encodeAvPairs(pairs),
    })
    const lmResponse = timestamp ? Buffer.alloc(24) : lmV2Response(responseKey, challenge.serverChallenge, clientChallenge)
    responseKey.fill(0)

    const keyExchangeKey = v2.sessionBaseKey
    const sessionKey = keyExchange ? this.#random(16) : Buffer.from(keyExchangeKey)
    const message = encodeAuthenticate({
      flags,
      lmResponse,
      ntResponse: v2.ntResponse,
      domain,
      username,
      workstation: '',
      encryptedRandomSessionKey: keyExchange ? encryptRandomSessionKey(keyExchangeKey, sessionKey) : Buffer.alloc(0),
    })
    keyExchangeKey.fill(0)
    if (timestamp) {
      messageIntegrityCode(sessionKey, this.negotiateMessage, challenge.raw, message).copy(message, AUTHENTICATE_MIC_OFFSET)
    }
    return {
      authenticateMessage: message,
      context: new NtlmSecurityContext(sessionKey, { role: 'client', keyExchange }),
      sessionKey,
    }
  }
}
