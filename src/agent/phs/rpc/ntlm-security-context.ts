/**
 * @module NTLM session security with extended session security (MS-NLMP §3.4.3–§3.4.5): per
 * direction a signing key, a sealing RC4 handle that lives as long as the connection, and a
 * sequence number. Sealing and signing must happen in message order, because every message moves
 * the RC4 keystream on.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto'
import { Rc4 } from '../../../crypto/rc4.ts'
import { RpcError } from './rpc-error.ts'

/** Bytes of an NTLMSSP_MESSAGE_SIGNATURE: version 1, 8-byte checksum, sequence number. */
export const NTLM_SIGNATURE_LENGTH = 16

const magic = (text: string) => Buffer.from(`session key to ${text} magic constant\0`, 'latin1')
const CLIENT_SIGN = magic('client-to-server signing key')
const SERVER_SIGN = magic('server-to-client signing key')
const CLIENT_SEAL = magic('client-to-server sealing key')
const SERVER_SEAL = magic('server-to-client sealing key')

const md5 = (...parts: Buffer[]) => parts.reduce((h, p) => h.update(p), createHash('md5')).digest()

class Direction {
  readonly signKey: Buffer
  readonly seal: Rc4
  seq = 0

  constructor(exportedSessionKey: Buffer, signMagic: Buffer, sealMagic: Buffer) {
    this.signKey = md5(exportedSessionKey, signMagic)
    // With NEGOTIATE_128 the whole exported key feeds SEALKEY; the client refuses weaker keys.
    const sealKey = md5(exportedSessionKey, sealMagic)
    this.seal = new Rc4(sealKey)
    sealKey.fill(0)
  }

  checksum(message: Buffer, keyExchange: boolean): Buffer {
    const seq = Buffer.alloc(4)
    seq.writeUInt32LE(this.seq >>> 0)
    const mac = createHmac('md5', this.signKey).update(seq).update(message).digest().subarray(0, 8)
    return keyExchange ? this.seal.update(mac) : Buffer.from(mac)
  }
}

/** One sealed message: the PDU bytes with the sealed range encrypted, and its signature. */
export interface WrappedMessage {
  readonly message: Buffer
  readonly signature: Buffer
}

/**
 * Both directions of one authenticated NTLM session. `wrap` seals the outgoing range and signs the
 * whole plaintext message; `unwrap` is its mirror for incoming messages and throws
 * RPC_INTEGRITY_FAILED when the signature or the sequence number does not match.
 */
export class NtlmSecurityContext {
  readonly #out: Direction
  readonly #in: Direction
  readonly #keyExchange: boolean

  constructor(exportedSessionKey: Buffer, options: { role: 'client' | 'server'; keyExchange: boolean }) {
    const client = new Direction(exportedSessionKey, CLIENT_SIGN, CLIENT_SEAL)
    const server = new Direction(exportedSessionKey, SERVER_SIGN, SERVER_SEAL)
    this.#out = options.role === 'client' ? client : server
    this.#in = options.role === 'client' ? server : client
    this.#keyExchange = options.keyExchange
  }

  /** Seals `message[sealStart, sealEnd)` and signs all of `message` as it was before sealing. */
  wrap(message: Buffer, sealStart = 0, sealEnd = message.length): WrappedMessage {
    const d = this.#out
    const out = Buffer.from(message)
    // RC4 order matters: the message first, then the checksum (§3.4.4.2 with §3.4.3).
    this.#seal(d, out, sealStart, sealEnd)
    const signature = this.#signature(d.checksum(message, this.#keyExchange), d.seq)
    d.seq++
    return { message: out, signature }
  }

  /** Unseals `message[sealStart, sealEnd)` and checks `signature` over the unsealed message. */
  unwrap(message: Buffer, sealStart: number, sealEnd: number, signature: Buffer): Buffer {
    const d = this.#in
    const plain = Buffer.from(message)
    this.#seal(d, plain, sealStart, sealEnd)
    const expected = this.#signature(d.checksum(plain, this.#keyExchange), d.seq)
    if (signature.length !== NTLM_SIGNATURE_LENGTH || !timingSafeEqual(signature, expected)) {
      throw new RpcError(
        'RPC_INTEGRITY_FAILED',
        `the NTLM signature of incoming message ${d.seq} does not verify (tampered, reordered or wrong session key)`,
      )
    }
    d.seq++
    return plain
  }

  #seal(d: Direction, buf: Buffer, start: number, end: number): void {
    if (start < 0 || end > buf.length || start > end) throw new RangeError('seal range outside the message')
    d.seal.update(buf.subarray(start, end)).copy(buf, start)
  }

  #signature(checksum: Buffer, seq: number): Buffer {
    const sig = Buffer.alloc(NTLM_SIGNATURE_LENGTH)
    sig.writeUInt32LE(1, 0)
    checksum.copy(sig, 4)
    sig.writeUInt32LE(seq >>> 0, 12)
    return sig
  }
}
