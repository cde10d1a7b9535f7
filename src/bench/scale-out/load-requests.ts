/**
 * @module The two requests of the mixed load, over real HTTPS with kept-alive connections: a
 * sign-in form POST (with the CSRF cookie and field a browser tab would send) and an admin API
 * password reset. Each returns what the checks need: status, correlation id, error code.
 */
import { Agent, request } from 'node:https'

/** One answered (or failed) request; `status` 0 means no HTTP answer at all. */
export interface Reply {
  readonly status: number
  readonly correlationId: string | null
  readonly location: string | null
  readonly setCookie: readonly string[]
  readonly body: string
  /** A transport failure or timeout: the request has no definite result. */
  readonly error: string | null
}

export interface NodeTarget {
  readonly base: URL
  readonly agent: Agent
  readonly timeoutMs: number
}

const CSRF_COOKIE = '__Host-idb_csrf'

/** One keep-alive pool per node, with a socket per client so no client waits for another's. */
export function nodeTarget(url: string, ca: Buffer, clients: number, timeoutMs: number): NodeTarget {
  return { base: new URL(url), agent: new Agent({ ca, keepAlive: true, maxSockets: clients }), timeoutMs }
}

/** GETs the sign-in page once and returns the CSRF token its cookie carries (the form field echoes it). */
export async function fetchCsrfToken(target: NodeTarget, tenantName: string): Promise<string> {
  const page = await send(target, 'GET', `/t/${tenantName}/signin`, {})
  const cookie = page.setCookie.map((line) => line.split(';')[0]!).find((pair) => pair.startsWith(`${CSRF_COOKIE}=`))
  const token = cookie?.slice(CSRF_COOKIE.length + 1)
  if (page.status !== 200 || !token) throw new Error(`GET /t/${tenantName}/signin gave ${page.status} ${page.error ?? ''} without a CSRF cookie`)
  return token
}

/** A whole sign-in: 303 to the user's page on success, the sign-in page again (401/429/503) otherwise. */
export function postSignIn(target: NodeTarget, tenantName: string, csrf: string, upn: string, password: string): Promise<Reply> {
  const body = new URLSearchParams({ username: upn, password, _csrf: csrf }).toString()
  return send(
    target,
    'POST',
    `/t/${tenantName}/signin`,
    { 'content-type': 'application/x-www-form-urlencoded', cookie: `${CSRF_COOKIE}=${csrf}`, origin: target.base.origin },
    body,
  )
}

/** `POST /api/v1/users/{id}/password`: the tenant sends it through the relay to an agent, which sets it in AD. */
export function postAdminReset(target: NodeTarget, token: string, userId: string, password: string): Promise<Reply> {
  return send(
    target,
    'POST',
    `/api/v1/users/${encodeURIComponent(userId)}/password`,
    { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    JSON.stringify({ password }),
  )
}

/** The catalogue code of an admin API error body, or of the sign-in page's error, if any. */
export function errorCode(reply: Reply): string | null {
  if (reply.body.startsWith('{')) {
    try {
      const code = (JSON.parse(reply.body) as { error?: { code?: unknown } }).error?.code
      return typeof code === 'string' ? code : null
    } catch {
      return null
    }
  }
  return /\b((?:IDB_ERR|SSPR)_[A-Z0-9_]+)\b/.exec(reply.body)?.[1] ?? null
}

function send(
  target: NodeTarget,
  method: 'GET' | 'POST',
  path: string,
  headers: Record<string, string>,
  body?: string,
): Promise<Reply> {
  const all = body === undefined ? headers : { ...headers, 'content-length': String(Buffer.byteLength(body)) }
  return new Promise((resolve) => {
    const failed = (error: Error) =>
      resolve({ status: 0, correlationId: null, location: null, setCookie: [], body: '', error: error.message })
    const req = request(new URL(path, target.base), { method, headers: all, agent: target.agent }, (res) => {
      let text = ''
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => (text += chunk))
      res.on('error', failed)
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          correlationId: headerValue(res.headers['x-correlation-id']),
          location: headerValue(res.headers.location),
          setCookie: res.headers['set-cookie'] ?? [],
          body: text,
          error: null,
        }),
      )
    })
    req.setTimeout(target.timeoutMs, () => req.destroy(new Error(`${method} ${path}: no answer in ${target.timeoutMs} ms`)))
    req.on('error', failed)
    req.end(body)
  })
}

function headerValue(value: string | string[] | undefined): string | null {
  return (Array.isArray(value) ? value[0] : value) ?? null
}
