/** @module Anti-forgery for forms: a per-browser token in a SameSite cookie, echoed in a hidden field. */
import { randomBytes, timingSafeEqual } from 'node:crypto'
import type { Context, MiddlewareHandler } from 'hono'
import { getCookie, setCookie } from 'hono/cookie'
import { IdbridgeError } from '../../errors/idbridge-error.ts'
import type { CloudEnv } from './cloud-deps.ts'

export const CSRF_COOKIE = '__Host-idb_csrf'
export const CSRF_FIELD = '_csrf'

/** The token for the form being rendered; sets the cookie the first time. */
export function csrfToken(c: Context<CloudEnv>): string {
  const existing = getCookie(c, CSRF_COOKIE)
  if (existing && /^[A-Za-z0-9_-]{43}$/.test(existing)) return existing
  const token = randomBytes(32).toString('base64url')
  setCookie(c, CSRF_COOKIE, token, { path: '/', secure: true, httpOnly: true, sameSite: 'Strict' })
  return token
}

/**
 * Refuses a cross-site form POST (by Origin or Sec-Fetch-Site), and one whose hidden field does not
 * match the cookie, which also covers clients that send neither header.
 */
export function requireFormToken(): MiddlewareHandler<CloudEnv> {
  return async function formToken(c, next) {
    if (c.req.method !== 'POST') return next()
    const origin = c.req.header('origin')
    if (origin !== undefined && origin !== new URL(c.req.url).origin && originHost(origin) !== c.req.header('host')) {
      throw new IdbridgeError('IDB_ERR_CSRF', { detail: `cross-origin post from ${origin.slice(0, 100)}` })
    }
    if (c.req.header('sec-fetch-site') === 'cross-site') {
      throw new IdbridgeError('IDB_ERR_CSRF', { detail: 'cross-site post' })
    }
    const cookie = getCookie(c, CSRF_COOKIE) ?? ''
    // Every form route reads its body through here first; a body that does not parse is the
    // client's mistake, not ours, and must not surface as IDB_ERR_INTERNAL.
    const body = await c.req.parseBody().catch((cause: unknown) => {
      throw new IdbridgeError('IDB_ERR_MALFORMED_FORM', { detail: 'the form body does not parse', cause })
    })
    const field = typeof body[CSRF_FIELD] === 'string' ? (body[CSRF_FIELD] as string) : ''
    const a = Buffer.from(cookie)
    const b = Buffer.from(field)
    if (a.length === 0 || a.length !== b.length || !timingSafeEqual(a, b)) {
      throw new IdbridgeError('IDB_ERR_CSRF', { detail: field ? 'token mismatch' : 'no token in the form' })
    }
    return next()
  }
}

function originHost(origin: string): string | undefined {
  try {
    return new URL(origin).host
  } catch {
    return undefined
  }
}
