/** @module Test helper: a loopback TCP proxy in front of tenant nodes that can cut the network and restore it. */
import { createServer, type Server, type Socket, connect } from 'node:net'

/**
 * How the network fails: `reset` closes every connection and refuses new ones (a router that
 * answers with RSTs), `blackhole` keeps sockets open but drops every byte (a pulled cable).
 */
export type CutMode = 'reset' | 'blackhole'

/**
 * TLS passes through untouched. Each new connection goes to the first upstream port that
 * accepts it, so with several tenant nodes it is also a fail-over load balancer.
 */
export class TcpFaultProxy {
  readonly #server: Server
  readonly #links = new Set<{ client: Socket; upstream?: Socket }>()
  #upstreams: number[]
  #cut: CutMode | undefined

  private constructor(server: Server, upstreams: number[]) {
    this.#server = server
    this.#upstreams = upstreams
  }

  static async start(upstreams: number[]): Promise<TcpFaultProxy> {
    const server = createServer()
    const proxy = new TcpFaultProxy(server, upstreams)
    server.on('connection', (client) => proxy.#accept(client))
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    return proxy
  }

  get port(): number {
    const address = this.#server.address()
    return typeof address === 'object' && address ? address.port : 0
  }

  /** The URL an agent connects to; its origin is what the agent signs. */
  get url(): string {
    return `https://127.0.0.1:${this.port}`
  }

  /** Connections already open keep their node; new ones try these ports in order. */
  set upstreams(ports: number[]) {
    this.#upstreams = ports
  }

  cut(mode: CutMode): void {
    this.#cut = mode
    if (mode === 'reset') for (const link of this.#links) this.#drop(link)
  }

  /** New connections pass again; the ones a blackhole swallowed stay dead, as both ends gave up on them. */
  restore(): void {
    if (this.#cut === 'blackhole') for (const link of this.#links) this.#drop(link)
    this.#cut = undefined
  }

  async stop(): Promise<void> {
    for (const link of this.#links) this.#drop(link)
    await new Promise<void>((resolve) => this.#server.close(() => resolve()))
  }

  #accept(client: Socket): void {
    client.on('error', () => {})
    if (this.#cut === 'reset') return void client.resetAndDestroy()
    const link: { client: Socket; upstream?: Socket } = { client }
    this.#links.add(link)
    // No 'data' listener until the upstream connects: the TLS hello waits in the socket's buffer.
    client.on('close', () => this.#drop(link))
    if (this.#cut === 'blackhole') return
    this.#dial(link, [...this.#upstreams])
  }

  #dial(link: { client: Socket; upstream?: Socket }, ports: number[]): void {
    const port = ports.shift()
    if (port === undefined) return this.#drop(link)
    const upstream = connect(port, '127.0.0.1')
    upstream.on('error', () => {
      // Refused before it connected: that node is down, try the next one.
      if (!link.upstream) this.#dial(link, ports)
      else this.#drop(link)
    })
    upstream.once('connect', () => {
      link.upstream = upstream
      upstream.on('close', () => this.#drop(link))
      upstream.on('data', (chunk) => this.#cut === undefined && link.client.write(chunk))
      link.client.on('data', (chunk) => this.#cut === undefined && upstream.write(chunk))
    })
  }

  #drop(link: { client: Socket; upstream?: Socket }): void {
    if (!this.#links.delete(link)) return
    link.client.resetAndDestroy()
    link.upstream?.resetAndDestroy()
  }
}
