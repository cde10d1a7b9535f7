/** @module Test helper: a TCP proxy in front of the lab DC that can swallow the DC's answer to the next request. */
import { createServer, type Server, type Socket, connect } from 'node:net'

/**
 * TLS passes through untouched (the proxy listens on the DC's own address, so the certificate
 * still matches). After `arm()`, the next bytes the client sends still reach the DC, but the
 * DC's answer is dropped and the client connection is closed: "sent, and no answer".
 */
export class CuttingProxy {
  readonly #server: Server
  readonly #host: string
  readonly #port: number
  #armed = false
  #cut = false

  private constructor(server: Server, host: string, port: number) {
    this.#server = server
    this.#host = host
    this.#port = port
  }

  static async start(host: string, port: number): Promise<CuttingProxy> {
    const server = createServer()
    await new Promise<void>((resolve) => server.listen(0, host, resolve))
    const proxy = new CuttingProxy(server, host, port)
    server.on('connection', (client) => proxy.#relay(client))
    return proxy
  }

  get url(): string {
    const address = this.#server.address()
    return `ldaps://${this.#host}:${typeof address === 'object' && address ? address.port : 0}`
  }

  arm(): void {
    this.#armed = true
  }

  #relay(client: Socket): void {
    const upstream = connect(this.#port, this.#host)
    const close = () => {
      client.destroy()
      upstream.destroy()
    }
    client.on('data', (chunk) => {
      upstream.write(chunk)
      if (this.#armed && !this.#cut) {
        this.#cut = true
        // Long enough for the DC to apply the write; its answer is never passed on.
        setTimeout(close, 300)
      }
    })
    upstream.on('data', (chunk) => {
      if (!this.#cut) client.write(chunk)
    })
    client.on('error', close)
    upstream.on('error', close)
    client.on('close', close)
    upstream.on('close', close)
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.#server.close(() => resolve()))
  }
}
