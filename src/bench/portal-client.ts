/** @module A minimal cookie-keeping browser over real HTTPS, for walking the tenant's forms in the bench. */
import { readFileSync } from 'node:fs'
import { Agent, request } from 'node:https'

export interface PortalReply {
  readonly status: number
  /** The Location header of a redirect, if any. */
  readonly location: string | undefined
  readonly body: string
}

const CSRF_COOKIE = '__Host-idb_csrf'
const CSRF_FIELD = '_csrf'

/**
 * Trusts the tenant's certificate, keeps one TLS connection open as a browser does, keeps the
 * cookies the tenant sets, and posts forms with the tenant origin and the CSRF field echoing the
 * cookie, so the anti-forgery check passes the way it does for a real browser.
 *
 * @example
 * const portal = new PortalClient(cloud)
 * await portal.get('/t/contoso/sspr')
 * const reply = await portal.post('/t/contoso/sspr', { userId, captcha })
 * portal.close()
 */
export class PortalClient {
  readonly #base: URL
  readonly #agent: Agent
  readonly #cookies = new Map<string, string>()
  readonly #timeoutMs: number

  constructor(cloud: { url: string; certFile: string }, options: { timeoutMs?: number } = {}) {
    this.#base = new URL(cloud.url)
    this.#agent = new Agent({ ca: readFileSync(cloud.certFile), keepAlive: true, maxSockets: 1 })
    this.#timeoutMs = options.timeoutMs ?? 120_000
  }

  get(path: string): Promise<PortalReply> {
    return this.#send('GET', path)
  }

  /** Posts a urlencoded form with `_csrf` taken from the cookie of the last page. */
  post(path: string, fields: Record<string, string>): Promise<PortalReply> {
    const body = new URLSearchParams(fields)
    body.set(CSRF_FIELD, this.#cookies.get(CSRF_COOKIE) ?? '')
    return this.#send('POST', path, body.toString())
  }

  /** Forgets the cookies, as a new private window would. */
  clearCookies(): void {
    this.#cookies.clear()
  }

  close(): void {
    this.#agent.destroy()
  }

  #send(method: 'GET' | 'POST', path: string, body?: string): Promise<PortalReply> {
    const headers: Record<string, string> = {}
    if (this.#cookies.size > 0) headers.cookie = [...this.#cookies].map(([k, v]) => `${k}=${v}`).join('; ')
    if (body !== undefined) {
      headers['content-type'] = 'application/x-www-form-urlencoded'
      headers['content-length'] = String(Buffer.byteLength(body))
      headers.origin = this.#base.origin
    }
    return new Promise((resolve, reject) => {
      const req = request(new URL(path, this.#base), { method, headers, agent: this.#agent }, (res) => {
        this.#keepCookies(res.headers['set-cookie'] ?? [])
        let text = ''
        res.setEncoding('utf8')
        res.on('data', (chunk: string) => (text += chunk))
        res.on('end', () => resolve({ status: res.statusCode ?? 0, location: res.headers.location, body: text }))
        res.on('error', reject)
      })
      req.setTimeout(this.#timeoutMs, () => req.destroy(new Error(`${method} ${path}: no answer in ${this.#timeoutMs} ms`)))
      req.on('error', reject)
      req.end(body)
    })
  }

  #keepCookies(lines: readonly string[]): void {
    for (const line of lines) {
      const [pair] = line.split(';')
      const [name, ...rest] = (pair ?? '').split('=')
      if (!name) continue
      const value = rest.join('=')
      if (/max-age=0/i.test(line) || /expires=Thu, 01 Jan 1970/i.test(line) || value === '') this.#cookies.delete(name.trim())
      else this.#cookies.set(name.trim(), value)
    }
  }
}
