/** @module Test support: a minimal cookie-keeping browser for app.request, to walk forms like a user. */
import type { Hono } from 'hono'
import { ORIGIN } from './test-cloud-app.ts'

export class BrowserSession {
  readonly #app: Hono<never> | { request: Hono['request'] }
  readonly cookies = new Map<string, string>()
  constructor(app: { request: Hono['request'] }) {
    this.#app = app
  }

  async get(path: string): Promise<Response> {
    return this.#send(path, { method: 'GET' })
  }

  /** Posts a form with the CSRF token of the last page, as a browser would. */
  async post(
    path: string,
    fields: Record<string, string>,
    options: { csrf?: boolean; origin?: string } = {},
  ): Promise<Response> {
    const body = new URLSearchParams(fields)
    if (options.csrf !== false) body.set('_csrf', this.cookies.get('__Host-idb_csrf') ?? '')
    return this.#send(path, {
      method: 'POST',
      body: body.toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: options.origin ?? ORIGIN },
    })
  }

  async #send(path: string, init: RequestInit): Promise<Response> {
    const headers = new Headers(init.headers)
    if (this.cookies.size) headers.set('cookie', [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '))
    const res = await this.#app.request(`${ORIGIN}${path}`, { ...init, headers })
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';')
      const [name, ...rest] = (pair ?? '').split('=')
      if (!name) continue
      const value = rest.join('=')
      if (/max-age=0/i.test(line) || value === '') this.cookies.delete(name)
      else this.cookies.set(name, value)
    }
    return res
  }
}
