/**
 * @module Test support: a loopback DCE/RPC server with the server side of NTLMv2 and packet
 * privacy, built from this folder's primitives, so the client's fragmentation, sealing, faults
 * and failure paths can be tested without a DC. Nothing in production imports it.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto'
import { type AddressInfo, type Server, type Socket, createServer } from 'node:net'
import { rc4 } from '../../../crypto/rc4.ts'
import type { RpcCredentials } from './ntlm-client.ts'
import { AUTHENTICATE_MIC_OFFSET, AvId, encodeAvPairs } from './ntlm-messages.ts'
import { NtlmSecurityContext } from './ntlm-security-context.ts'
import { fileTime, ntowfV2 } from './ntlm-v2.ts'
import {
  AUTH_LEVEL_PRIVACY,
  AUTH_TYPE_WINNT,
  type PduHeader,
  PduType,
  PfcFlag,
  STUB_OFFSET,
  decodeAuthVerifier,
  decodeHeader,
  encodeHeader,
  encodeRequest,
  encodeSecTrailer,
  readFragLength,
} from './rpc-pdu.ts'
import { NDR_SYNTAX, encodeSyntaxId } from './rpc-uuid.ts'

/** How the fake server misbehaves, if at all. */
export type FakeBehavior = 'normal' | 'silent' | 'bind-nak' | 'reject-context' | 'garbage' | 'tamper' | 'close-on-call'

/** A request as the server reassembled and unsealed it. */
export interface FakeRequest {
  readonly opnum: number
  readonly stub: Buffer
  readonly fragmentLengths: number[]
}

export interface FakeServerOptions {
  /** The account the server accepts; without it the server expects unauthenticated binds. */
  readonly credentials?: RpcCredentials
  /** max_xmit_frag and max_recv_frag in the bind_ack. */
  readonly maxFrag?: number
  readonly behavior?: FakeBehavior
  readonly handler?: (opnum: number, stub: Buffer) => Buffer | { fault: number }
}

const SERVER_FLAGS = 0xe28a8235 | 0x00800000

const trailer = { authType: AUTH_TYPE_WINNT, authLevel: AUTH_LEVEL_PRIVACY, contextId: 1 }

function challengeMessage(serverChallenge: Buffer): Buffer {
  const info = encodeAvPairs([
    { id: AvId.NB_DOMAIN_NAME, value: Buffer.from('CONTOSO', 'utf16le') },
    { id: AvId.NB_COMPUTER_NAME, value: Buffer.from('DC1', 'utf16le') },
    { id: AvId.TIMESTAMP, value: fileTime(Date.now()) },
  ])
  const head = Buffer.alloc(56)
  head.write('NTLMSSP\0', 0, 'latin1')
  head.writeUInt32LE(2, 8)
  head.writeUInt32LE(56, 16) // empty TargetName
  head.writeUInt32LE(SERVER_FLAGS >>> 0, 20)
  serverChallenge.copy(head, 24)
  head.writeUInt16LE(info.length, 40)
  head.writeUInt16LE(info.length, 42)
  head.writeUInt32LE(56, 44)
  return Buffer.concat([head, info])
}

/** A bind_ack accepting (result 0) or rejecting the one context, with an optional auth token. */
export function bindAck(callId: number, maxFrag: number, result: number, auth?: Buffer): Buffer {
  const body = Buffer.alloc(10 + 6 + 8)
  body.writeUInt16LE(maxFrag, 0)
  body.writeUInt16LE(maxFrag, 2)
  body.writeUInt32LE(0x1234, 4)
  body.writeUInt16LE(6, 8)
  body.write('49153\0', 10, 'latin1')
  body[16] = 1
  body.writeUInt16LE(result, 20)
  body.writeUInt16LE(result ? 1 : 0, 22)
  const tail = auth ? [encodeSecTrailer({ ...trailer, padLength: 0 }), auth] : []
  const rest = Buffer.concat([body, encodeSyntaxId(NDR_SYNTAX), ...tail])
  const h = encodeHeader({ type: PduType.BIND_ACK, flags: 3, fragLength: 16 + rest.length, authLength: auth?.length ?? 0, callId })
  return Buffer.concat([h, rest])
}

export function faultPdu(callId: number, status: number): Buffer {
  const body = Buffer.alloc(16)
  body.writeUInt32LE(status >>> 0, 8)
  const flags = PfcFlag.FIRST_FRAG | PfcFlag.LAST_FRAG | PfcFlag.DID_NOT_EXECUTE
  return Buffer.concat([encodeHeader({ type: PduType.FAULT, flags, fragLength: 32, authLength: 0, callId }), body])
}

class Connection {
  #chain: Promise<void> = Promise.resolve()
  #pending: Buffer = Buffer.alloc(0)
  #negotiate: Buffer = Buffer.alloc(0)
  #challenge: Buffer = Buffer.alloc(0)
  #serverChallenge = randomBytes(8)
  #context: NtlmSecurityContext | undefined
  #authFailed = false
  #parts: Buffer[] = []
  #lengths: number[] = []
  readonly #server: FakeRpcServer
  readonly #socket: Socket

  constructor(server: FakeRpcServer, socket: Socket) {
    this.#server = server
    this.#socket = socket
    // One chunk at a time: auth3 awaits NTOWFv2, and the request right behind it must wait for that.
    socket.on('data', (chunk: Buffer) => {
      this.#chain = this.#chain.then(() => this.#onData(chunk)).catch(() => void socket.destroy())
    })
    socket.on('error', () => {})
    socket.setNoDelay(true)
  }

  async #onData(chunk: Buffer): Promise<void> {
    this.#pending = Buffer.concat([this.#pending, chunk])
    while (this.#pending.length >= 10 && this.#pending.length >= readFragLength(this.#pending)) {
      const pdu = this.#pending.subarray(0, readFragLength(this.#pending))
      this.#pending = this.#pending.subarray(pdu.length)
      await this.#handle(Buffer.from(pdu), decodeHeader(Buffer.from(pdu)))
    }
  }

  async #handle(pdu: Buffer, h: PduHeader): Promise<void> {
    const o = this.#server.options
    const behavior = o.behavior ?? 'normal'
    if (h.type === PduType.BIND) {
      if (behavior === 'bind-nak') {
        const head = encodeHeader({ type: PduType.BIND_NAK, flags: 3, fragLength: 18, authLength: 0, callId: h.callId })
        const nak = Buffer.concat([head, Buffer.from([4, 0])]) // reason 4: protocol version not supported
        return void this.#socket.write(nak)
      }
      this.#negotiate = Buffer.from(decodeAuthVerifier(pdu, h, 16)?.value ?? Buffer.alloc(0))
      this.#challenge = challengeMessage(this.#serverChallenge)
      const result = behavior === 'reject-context' ? 2 : 0
      return void this.#socket.write(bindAck(h.callId, o.maxFrag ?? 5840, result, o.credentials ? this.#challenge : undefined))
    }
    if (h.type === PduType.AUTH3) return this.#auth3(Buffer.from(decodeAuthVerifier(pdu, h, 20)!.value))
    if (h.type !== PduType.REQUEST) return
    if (behavior === 'close-on-call' && this.#server.requests.length > 0) return void this.#socket.destroy()
    if (o.credentials && (this.#authFailed || !this.#context)) return void this.#socket.write(faultPdu(h.callId, 0x1c01000b))
    let stub: Buffer = pdu.subarray(STUB_OFFSET)
    if (this.#context) {
      const v = decodeAuthVerifier(pdu, h, STUB_OFFSET)!
      const plain = this.#context.unwrap(pdu.subarray(0, v.trailerOffset + 8), STUB_OFFSET, v.trailerOffset, v.value)
      stub = plain.subarray(STUB_OFFSET, v.trailerOffset - v.trailer.padLength)
    }
    this.#parts.push(Buffer.from(stub))
    this.#lengths.push(h.fragLength)
    if (!(h.flags & PfcFlag.LAST_FRAG)) return
    const request = { opnum: pdu.readUInt16LE(22), stub: Buffer.concat(this.#parts), fragmentLengths: this.#lengths }
    this.#parts = []
    this.#lengths = []
    this.#server.requests.push(request)
    if (behavior === 'silent') return
    if (behavior === 'garbage') return void this.#socket.write(Buffer.from('04000203100000001000000001000000', 'hex'))
    const answer = o.handler?.(request.opnum, request.stub) ?? request.stub
    if (!Buffer.isBuffer(answer)) return void this.#socket.write(faultPdu(h.callId, answer.fault))
    this.#respond(h.callId, answer, behavior === 'tamper')
  }

  async #auth3(message: Buffer): Promise<void> {
    const field = (at: number) => message.subarray(message.readUInt32LE(at + 4), message.readUInt32LE(at + 4) + message.readUInt16LE(at))
    const c = this.#server.options.credentials!
    const key = await ntowfV2(c.password, field(36).toString('utf16le'), field(28).toString('utf16le'))
    const nt = field(20)
    const hmac = (k: Buffer, ...parts: Buffer[]) => parts.reduce((h, p) => h.update(p), createHmac('md5', k)).digest()
    const proof = hmac(key, this.#serverChallenge, nt.subarray(16))
    if (!timingSafeEqual(proof, nt.subarray(0, 16))) return void (this.#authFailed = true)
    const exported = rc4(hmac(key, proof), field(52))
    const zeroed = Buffer.from(message).fill(0, AUTHENTICATE_MIC_OFFSET, AUTHENTICATE_MIC_OFFSET + 16)
    const mic = hmac(exported, this.#negotiate, this.#challenge, zeroed)
    if (!mic.equals(message.subarray(AUTHENTICATE_MIC_OFFSET, AUTHENTICATE_MIC_OFFSET + 16))) return void (this.#authFailed = true)
    this.#server.sessionKeys.push(exported)
    this.#context = new NtlmSecurityContext(exported, { role: 'server', keyExchange: true })
  }

  #respond(callId: number, stub: Buffer, tamper: boolean): void {
    const maxFrag = this.#server.options.maxFrag ?? 5840
    const chunk = Math.floor((maxFrag - STUB_OFFSET - (this.#context ? 24 : 0)) / 16) * 16
    let at = 0
    do {
      const part = stub.subarray(at, at + chunk)
      const flags = (at === 0 ? 1 : 0) | (at + part.length >= stub.length ? 2 : 0)
      const r = { callId, flags, allocHint: stub.length - at, contextId: 0, opnum: 0, stub: part }
      let pdu = encodeRequest(r, this.#context ? { ...trailer, valueLength: 16 } : undefined)
      pdu[2] = PduType.RESPONSE // same layout as a request, with cancel_count where opnum was
      if (this.#context) {
        const w = this.#context.wrap(pdu, STUB_OFFSET, pdu.length - 8)
        if (tamper) w.message.writeUInt8(w.message[STUB_OFFSET]! ^ 1, STUB_OFFSET)
        pdu = Buffer.concat([w.message, w.signature])
      }
      this.#socket.write(pdu)
      at += part.length
    } while (at < stub.length)
  }
}

export class FakeRpcServer {
  readonly options: FakeServerOptions
  readonly requests: FakeRequest[] = []
  readonly sessionKeys: Buffer[] = []
  readonly #server: Server
  readonly #sockets = new Set<Socket>()

  private constructor(options: FakeServerOptions) {
    this.options = options
    this.#server = createServer((socket) => {
      this.#sockets.add(socket)
      socket.on('close', () => this.#sockets.delete(socket))
      new Connection(this, socket)
    })
  }

  static async start(options: FakeServerOptions = {}): Promise<FakeRpcServer> {
    const s = new FakeRpcServer(options)
    await new Promise<void>((resolve) => s.#server.listen(0, '127.0.0.1', resolve))
    return s
  }

  get port(): number {
    return (this.#server.address() as AddressInfo).port
  }

  async close(): Promise<void> {
    for (const socket of this.#sockets) socket.destroy()
    await new Promise((resolve) => this.#server.close(resolve))
  }
}
