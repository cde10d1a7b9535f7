/**
 * @module A TCP connection that delivers whole DCE/RPC fragments. Framing trusts only frag_length,
 * which is a u16, so one fragment never needs more than 64 KiB; reading pauses the socket when
 * fragments pile up, and every wait has a deadline, so a silent or flooding server cannot hang or
 * exhaust the agent.
 */
import { Socket } from 'node:net'
import { RpcError } from './rpc-error.ts'
import { readFragLength } from './rpc-pdu.ts'

const HIGH_WATER_FRAMES = 64
const LOW_WATER_FRAMES = 8

export class RpcSocket {
  /** `host:port`, for messages. */
  readonly peer: string
  readonly #socket: Socket
  // Received bytes not yet framed, kept as chunks so a server trickling bytes costs no re-copying.
  readonly #chunks: Buffer[] = []
  #buffered = 0
  readonly #frames: Buffer[] = []
  #waiter: { resolve: (frame: Buffer) => void; reject: (error: RpcError) => void } | undefined
  #failure: RpcError | undefined
  readonly #closed: Promise<void>

  private constructor(socket: Socket, peer: string) {
    this.#socket = socket
    this.peer = peer
    this.#closed = new Promise((resolve) => socket.once('close', () => resolve()))
    socket.on('data', (chunk: Buffer) => this.#onData(chunk))
    socket.on('error', (error: NodeJS.ErrnoException) =>
      this.fail(
        new RpcError('RPC_CONNECTION_CLOSED', `connection to ${peer} failed (${error.code ?? error.message})`, {
          cause: error,
        }),
      ),
    )
    socket.on('close', () => this.fail(new RpcError('RPC_CONNECTION_CLOSED', `${peer} closed the connection`)))
  }

  /** Connects within `timeoutMs`; a refusal, a DNS failure or silence is RPC_UNREACHABLE. */
  static open(host: string, port: number, timeoutMs: number): Promise<RpcSocket> {
    const peer = `${host}:${port}`
    return new Promise((resolve, reject) => {
      const socket = new Socket()
      const timer = setTimeout(() => {
        socket.destroy()
        reject(new RpcError('RPC_UNREACHABLE', `no TCP connection to ${peer} within ${timeoutMs} ms`))
      }, timeoutMs)
      const onError = (error: NodeJS.ErrnoException) => {
        clearTimeout(timer)
        socket.destroy()
        reject(
          new RpcError('RPC_UNREACHABLE', `cannot connect to ${peer} (${error.code ?? error.message})`, {
            cause: error,
            data: { systemCode: error.code ?? null },
          }),
        )
      }
      socket.once('error', onError)
      socket.connect({ host, port }, () => {
        clearTimeout(timer)
        socket.off('error', onError)
        socket.setNoDelay(true)
        resolve(new RpcSocket(socket, peer))
      })
    })
  }

  send(data: Buffer): void {
    if (this.#failure) throw this.#failure
    this.#socket.write(data)
  }

  /** The next whole fragment; fails the connection with RPC_TIMEOUT if none arrives in time. */
  receive(timeoutMs: number): Promise<Buffer> {
    const queued = this.#frames.shift()
    if (queued) {
      if (this.#frames.length <= LOW_WATER_FRAMES && this.#socket.isPaused()) this.#socket.resume()
      return Promise.resolve(queued)
    }
    if (this.#failure) return Promise.reject(this.#failure)
    if (this.#waiter) return Promise.reject(new Error('RpcSocket.receive called while another receive is waiting'))
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        // A late reply would arrive out of step with call ids and NTLM sequence numbers: drop the connection.
        this.fail(new RpcError('RPC_TIMEOUT', `no reply from ${this.peer} within ${timeoutMs} ms`))
      }, timeoutMs)
      this.#waiter = {
        resolve: (frame) => {
          clearTimeout(timer)
          resolve(frame)
        },
        reject: (error) => {
          clearTimeout(timer)
          reject(error)
        },
      }
    })
  }

  /** Marks the connection broken (the first failure wins) and destroys the socket. */
  fail(error: RpcError): void {
    if (!this.#failure) this.#failure = error
    this.#socket.destroy()
    const waiter = this.#waiter
    this.#waiter = undefined
    waiter?.reject(this.#failure)
  }

  /** Why the connection is unusable, once it is. */
  get failure(): RpcError | undefined {
    return this.#failure
  }

  /** Ends the connection; resolves once the socket is closed. Idempotent. */
  async close(): Promise<void> {
    if (!this.#failure) this.#failure = new RpcError('RPC_CONNECTION_CLOSED', `the connection to ${this.peer} was closed`)
    this.#socket.end()
    const timer = setTimeout(() => this.#socket.destroy(), 1000)
    await this.#closed
    clearTimeout(timer)
  }

  #onData(chunk: Buffer): void {
    if (this.#failure) return
    this.#chunks.push(chunk)
    this.#buffered += chunk.length
    try {
      while (this.#buffered >= 10) {
        const length = readFragLength(this.#peek(10))
        if (this.#buffered < length) break
        this.#deliver(this.#take(length))
      }
    } catch (error) {
      this.fail(RpcError.is(error) ? error : new RpcError('RPC_MALFORMED_PDU', String(error)))
    }
  }

  #peek(n: number): Buffer {
    if (this.#chunks[0]!.length < n) this.#chunks.splice(0, this.#chunks.length, Buffer.concat(this.#chunks))
    return this.#chunks[0]!.subarray(0, n)
  }

  #take(n: number): Buffer {
    const out = Buffer.alloc(n)
    let at = 0
    while (at < n) {
      const head = this.#chunks[0]!
      const used = head.copy(out, at, 0, n - at)
      at += used
      if (used === head.length) this.#chunks.shift()
      else this.#chunks[0] = head.subarray(used)
    }
    this.#buffered -= n
    return out
  }

  #deliver(frame: Buffer): void {
    const waiter = this.#waiter
    if (waiter) {
      this.#waiter = undefined
      waiter.resolve(frame)
      return
    }
    this.#frames.push(frame)
    if (this.#frames.length >= HIGH_WATER_FRAMES) this.#socket.pause()
  }
}
