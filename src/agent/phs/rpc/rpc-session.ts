/**
 * @module Calls on one bound DCE/RPC association, sealed and signed when NTLM is in use, with
 * fragmentation, reassembly and per-call deadlines. Calls run one at a time
 * because NTLM sealing is a single RC4 stream per direction that both ends must advance in step.
 */
import { type NtlmSecurityContext, NTLM_SIGNATURE_LENGTH } from './ntlm-security-context.ts'
import {
  type BindOptions,
  type BoundAssociation,
  PRESENTATION_CONTEXT_ID,
  SEALING_TRAILER,
  negotiateBind,
} from './rpc-bind.ts'
import { RpcError, malformed } from './rpc-error.ts'
import { asAuthFailure, faultError } from './rpc-fault.ts'
import {
  AUTH_LEVEL_PRIVACY,
  AUTH_PAD_ALIGNMENT,
  AUTH_TYPE_WINNT,
  PduType,
  PfcFlag,
  type ResponseFragment,
  SEC_TRAILER_LENGTH,
  STUB_OFFSET,
  decodeFault,
  decodeHeader,
  decodeResponse,
  encodeRequest,
} from './rpc-pdu.ts'
import type { RpcSocket } from './rpc-socket.ts'

/** A response larger than this is refused rather than buffered (MS-DRSR replies are a few MiB). */
export const MAX_RESPONSE_BYTES = 128 * 1024 * 1024

/** Per-call options. */
export interface CallOptions {
  /** Deadline for the whole call, request fragments to last response fragment. */
  readonly timeoutMs?: number
}

/** The transport a protocol client (MS-DRSR, the endpoint mapper) needs. */
export interface RpcCallTransport {
  /** Sends one request (sealed when authenticated), returns the reassembled, unsealed response stub. */
  call(opnum: number, stub: Buffer, options?: CallOptions): Promise<Buffer>
  /** The NTLM exported session key: MS-DRSR uses it to decrypt secret attributes. Empty without auth. */
  readonly sessionKey: Buffer
  close(): Promise<void>
}

export class RpcSession implements RpcCallTransport {
  readonly #socket: RpcSocket
  readonly #security: NtlmSecurityContext | undefined
  readonly #sessionKey: Buffer
  readonly #maxXmitFrag: number
  readonly #defaultTimeoutMs: number
  #callId: number
  #calls = 0
  #queue: Promise<unknown> = Promise.resolve()

  private constructor(socket: RpcSocket, state: BoundAssociation & { timeoutMs: number }) {
    this.#socket = socket
    this.#security = state.security
    this.#sessionKey = state.sessionKey ?? Buffer.alloc(0)
    this.#maxXmitFrag = state.maxXmitFrag
    this.#callId = state.callId
    this.#defaultTimeoutMs = state.timeoutMs
  }

  /** Binds `interfaceId` on a fresh connection, with NTLM at packet privacy when credentials are given. */
  static async bind(socket: RpcSocket, options: BindOptions & { timeoutMs: number }): Promise<RpcSession> {
    return new RpcSession(socket, { ...(await negotiateBind(socket, options)), timeoutMs: options.timeoutMs })
  }

  get sessionKey(): Buffer {
    return Buffer.from(this.#sessionKey)
  }

  call(opnum: number, stub: Buffer, options: CallOptions = {}): Promise<Buffer> {
    if (!Number.isInteger(opnum) || opnum < 0 || opnum > 0xffff) {
      return Promise.reject(new RpcError('RPC_INVALID_ARGUMENT', `opnum ${opnum} is not a u16`))
    }
    const run = this.#queue.then(() => this.#call(opnum, stub, options.timeoutMs ?? this.#defaultTimeoutMs))
    this.#queue = run.catch(() => undefined)
    return run
  }

  async close(): Promise<void> {
    this.#sessionKey.fill(0)
    await this.#socket.close()
  }

  async #call(opnum: number, stub: Buffer, timeoutMs: number): Promise<Buffer> {
    const broken = this.#socket.failure
    if (broken) {
      const why = broken.code === 'RPC_CONNECTION_CLOSED' ? broken.message : `after ${broken.message}`
      const detail = `the connection to ${this.#socket.peer} is unusable (${why})`
      throw new RpcError('RPC_CONNECTION_CLOSED', detail, { cause: broken })
    }
    const callId = ++this.#callId
    const first = this.#calls++ === 0
    const deadline = Date.now() + timeoutMs
    try {
      this.#sendRequest(callId, opnum, stub)
      return await this.#receiveResponse(callId, deadline)
    } catch (error) {
      let e = RpcError.is(error) ? error : new RpcError('RPC_MALFORMED_PDU', String(error), { cause: error })
      if (first && this.#security) e = asAuthFailure(e, this.#socket.peer)
      // After anything but a clean fault the two ends may disagree on call ids or RC4 state.
      if (e.code !== 'RPC_FAULT') this.#socket.fail(e)
      throw e
    }
  }

  #sendRequest(callId: number, opnum: number, stub: Buffer): void {
    const overhead = STUB_OFFSET + (this.#security ? SEC_TRAILER_LENGTH + NTLM_SIGNATURE_LENGTH : 0)
    // Whole 16-byte blocks per fragment, so only the last one needs auth padding.
    const chunk = Math.floor((this.#maxXmitFrag - overhead) / AUTH_PAD_ALIGNMENT) * AUTH_PAD_ALIGNMENT
    let at = 0
    do {
      const part = stub.subarray(at, at + chunk)
      const flags = (at === 0 ? PfcFlag.FIRST_FRAG : 0) | (at + part.length >= stub.length ? PfcFlag.LAST_FRAG : 0)
      const fragment = { callId, flags, allocHint: stub.length - at, contextId: PRESENTATION_CONTEXT_ID, opnum, stub: part }
      if (this.#security) {
        const pdu = encodeRequest(fragment, { ...SEALING_TRAILER, valueLength: NTLM_SIGNATURE_LENGTH })
        const wrapped = this.#security.wrap(pdu, STUB_OFFSET, pdu.length - SEC_TRAILER_LENGTH)
        this.#socket.send(Buffer.concat([wrapped.message, wrapped.signature]))
      } else {
        this.#socket.send(encodeRequest(fragment))
      }
      at += part.length
    } while (at < stub.length)
  }

  async #receiveResponse(callId: number, deadline: number): Promise<Buffer> {
    const parts: Buffer[] = []
    let total = 0
    for (;;) {
      const pdu = await this.#socket.receive(Math.max(1, deadline - Date.now()))
      const h = decodeHeader(pdu)
      if (h.type === PduType.FAULT && (h.callId === callId || h.callId === 0)) {
        const fault = decodeFault(pdu, h)
        // A signed fault moved the server's RC4 stream without us following: this connection is done.
        if (h.authLength > 0) this.#socket.fail(faultError(fault, this.#socket.peer))
        throw faultError(fault, this.#socket.peer)
      }
      if (h.type === PduType.SHUTDOWN) throw new RpcError('RPC_CONNECTION_CLOSED', `${this.#socket.peer} sent shutdown`)
      if (h.type !== PduType.RESPONSE) throw malformed(`expected a response, got PDU type ${h.type}`)
      if (h.callId !== callId) throw malformed(`response for call_id ${h.callId} while waiting for ${callId}`)
      if ((parts.length === 0) !== ((h.flags & PfcFlag.FIRST_FRAG) !== 0)) {
        throw malformed('response fragments out of order (PFC_FIRST_FRAG)')
      }
      const stub = this.#openFragment(pdu, decodeResponse(pdu, h))
      total += stub.length
      if (total > MAX_RESPONSE_BYTES) throw malformed(`response exceeds ${MAX_RESPONSE_BYTES} bytes`)
      parts.push(stub)
      if (h.flags & PfcFlag.LAST_FRAG) return parts.length === 1 ? parts[0]! : Buffer.concat(parts, total)
    }
  }

  #openFragment(pdu: Buffer, r: ResponseFragment): Buffer {
    if (!this.#security) {
      if (r.auth) throw malformed('unexpected auth verifier on an unauthenticated connection')
      return pdu.subarray(r.stubStart, r.stubEnd)
    }
    const auth = r.auth
    if (!auth) throw new RpcError('RPC_INTEGRITY_FAILED', 'a response on a sealed connection carries no auth verifier')
    if (auth.trailer.authType !== AUTH_TYPE_WINNT || auth.trailer.authLevel !== AUTH_LEVEL_PRIVACY) {
      throw new RpcError(
        'RPC_INTEGRITY_FAILED',
        `response protected with auth type ${auth.trailer.authType} level ${auth.trailer.authLevel}, expected 10/6`,
      )
    }
    const signed = pdu.subarray(0, auth.trailerOffset + SEC_TRAILER_LENGTH)
    const plain = this.#security.unwrap(signed, r.stubStart, r.stubEnd, auth.value)
    return plain.subarray(r.stubStart, r.stubEnd - auth.trailer.padLength)
  }
}
