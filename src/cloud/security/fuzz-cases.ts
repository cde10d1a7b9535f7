/** @module Test support: one fuzz case, a request described well enough to replay it by hand. */
import { ORIGIN } from '../web/test-cloud-app.ts'
import type { FuzzRandom } from './fuzz-random.ts'
import type { ApiOperation, PageForm } from './fuzz-targets.ts'
import { breakField, type fieldVariants, hostileJson, hostileString, mutateObject, rawBody } from './fuzz-values.ts'

/** A request to send, and what was done to it. */
export interface FuzzRequest {
  readonly label: string
  readonly path: string
  readonly init: RequestInit & { headers: Record<string, string> }
}

/** Lone surrogates become U+FFFD, as a browser would send them; encodeURIComponent throws on them. */
const wellFormed = (value: string) =>
  value.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd')
const encode = (value: string) => encodeURIComponent(wellFormed(value))
const rawPercent = ['%', '%ZZ', '%E0%A4%A', '%C0%AF', '%00', '%ED%A0%80', '%FF%FE']

function formBody(fields: Record<string, string>, rng: FuzzRandom): string {
  const pairs = Object.entries(fields).map(([k, v]) => `${encode(k)}=${encode(v)}`)
  if (rng.chance(0.3)) pairs.splice(rng.int(0, pairs.length), 0, `${rng.pick(Object.keys(fields).concat('x'))}=${rng.pick(rawPercent)}`)
  return pairs.join('&')
}

function multipart(fields: Record<string, string>, rng: FuzzRandom): { body: string; type: string } {
  const boundary = `fz${rng.int(1000, 9999)}`
  const parts = Object.entries(fields).map(
    ([k, v]) => `--${boundary}\r\nContent-Disposition: form-data; name="${k.replace(/"/g, '')}"\r\n\r\n${v}\r\n`,
  )
  const body = `${parts.join('')}--${boundary}--\r\n`
  switch (rng.int(0, 3)) {
    case 0:
      return { body, type: `multipart/form-data; boundary=${boundary}` }
    case 1:
      return { body, type: 'multipart/form-data' }
    case 2:
      return { body: body.slice(0, rng.int(0, body.length)), type: `multipart/form-data; boundary=${boundary}` }
    default:
      return { body: `--${boundary}\r\nContent-Disposition: form-data; name="f"; filename="a.txt"\r\n\r\nx`, type: `multipart/form-data; boundary=${boundary}` }
  }
}

/** A form post: its valid values with a few broken, or a body broken below the field level. */
export function formCase(rng: FuzzRandom, form: PageForm, valid: Record<string, string>, csrf: string): FuzzRequest {
  const fields: Record<string, string> = { ...form.fields }
  for (const key of Object.keys(fields)) if (key in valid) fields[key] = valid[key]!
  fields._csrf = csrf
  const headers: Record<string, string> = { origin: ORIGIN, 'content-type': 'application/x-www-form-urlencoded' }
  const names = Object.keys(fields).filter((k) => k !== '_csrf')
  const kind = rng.int(0, 11)
  let label: string
  let body: string
  if (kind <= 4 && names.length) {
    const touched: string[] = []
    for (let i = rng.int(1, Math.min(3, names.length)); i > 0; i--) {
      const key = rng.pick(names)
      touched.push(key)
      if (rng.chance(0.15)) delete fields[key]
      else fields[key] = hostileString(rng)
    }
    label = `hostile ${touched.join(', ')}`
    body = formBody(fields, rng)
  } else if (kind === 5) {
    const key = rng.pick([...names, 'x'])
    label = `duplicated ${key}`
    body = `${formBody(fields, rng)}&${encode(key)}=${encode(hostileString(rng))}&${encode(`${key}[]`)}=1`
  } else if (kind === 6) {
    label = 'invalid UTF-8 bytes in the body'
    body = `${formBody(fields, rng)}&${rng.pick(names.concat('x'))}=\udcff\u0000%ff%fe`
  } else if (kind === 7) {
    const m = multipart(fields, rng)
    label = `multipart (${m.type})`
    body = m.body
    headers['content-type'] = m.type
  } else if (kind === 8) {
    label = 'a JSON body'
    headers['content-type'] = rng.pick(['application/json', 'text/plain', 'application/x-www-form-urlencoded; charset=utf-16', ''])
    body = JSON.stringify(rng.chance(0.5) ? fields : hostileJson(rng))
  } else if (kind === 9) {
    label = rng.pick(['no CSRF token', 'a forged CSRF token', 'a cross-site Origin'])
    if (label === 'no CSRF token') delete fields._csrf
    if (label === 'a forged CSRF token') fields._csrf = 'A'.repeat(43)
    if (label === 'a cross-site Origin') headers.origin = 'https://evil.test'
    body = formBody(fields, rng)
  } else if (kind === 10) {
    label = 'larger than http.maxBodyBytes'
    body = `${formBody(fields, rng)}&pad=${'x'.repeat(70 * 1024)}`
  } else {
    label = 'the valid values'
    body = formBody(fields, rng)
  }
  if (headers['content-type'] === '') delete headers['content-type']
  return { label, path: form.action, init: { method: 'POST', headers, body } }
}

/** Known ids for {id}, so that most cases get past the lookup; the test renews them when a case deletes one. */
export interface FuzzIds {
  userId: string
  userName: string
  groupId: string
  runId: string
  token: string
  otherToken: string
  /** The case number, which valid bodies use to stay unique. */
  n: number
}

function idFor(rng: FuzzRandom, op: ApiOperation, ids: FuzzIds): string {
  if (rng.chance(0.75)) return op.path.includes('Groups') ? ids.groupId : op.path.includes('/sync/') ? ids.runId : ids.userId
  return rng.chance(0.5) ? encode(hostileString(rng).slice(0, 300)) : rng.pick(['..', '%2e%2e', '.', ...rawPercent, 'x'.repeat(5000)])
}

function queryOf(rng: FuzzRandom, op: ApiOperation): string {
  const names = [...op.query, 'x', '__proto__']
  const pairs: string[] = []
  for (let i = rng.int(0, 4); i > 0; i--) {
    const name = rng.pick(names)
    const value = rng.chance(0.2) ? rng.pick(rawPercent) : encode(rng.chance(0.3) ? String(rng.pick([-1, 0, 1, 1e9, 1.5])) : hostileString(rng).slice(0, 2000))
    pairs.push(`${encode(name)}=${value}`)
    if (rng.chance(0.2)) pairs.push(`${encode(name)}=${encode('1')}`)
  }
  return pairs.length ? `?${pairs.join('&')}` : ''
}

/** An admin API call: a valid body with one field broken, a broken body, a bad id, query, token or content type. */
export function apiCase(rng: FuzzRandom, op: ApiOperation, ids: FuzzIds, valid: Record<string, unknown>): FuzzRequest {
  const path = op.path.replace('{id}', () => idFor(rng, op, ids)) + (rng.chance(0.4) ? queryOf(rng, op) : '')
  const headers: Record<string, string> = {
    authorization: `Bearer ${ids.token}`,
    'content-type': op.path.startsWith('/scim/') ? 'application/scim+json' : 'application/json',
  }
  let label = 'valid body'
  let body: string | Uint8Array | undefined
  const kind = rng.int(0, 9)
  if (kind <= 3) {
    const mutated = mutateObject(rng, valid)
    label = 'one field broken'
    body = JSON.stringify(mutated)
  } else if (kind === 4) {
    label = 'any JSON value'
    body = JSON.stringify(hostileJson(rng))
  } else if (kind <= 6) {
    const raw = rawBody(rng, JSON.stringify(valid))
    label = raw.label
    body = raw.body
  } else if (kind === 7) {
    label = 'another content type'
    headers['content-type'] = rng.pick(['text/plain', 'multipart/form-data; boundary=x', 'application/x-www-form-urlencoded', 'application/json; charset=utf-16', ''])
    body = rng.chance(0.5) ? JSON.stringify(valid) : `userName=${encode(hostileString(rng))}`
  } else if (kind === 8) {
    label = rng.pick(['no token', 'a garbage token', "another tenant's token", 'a Basic header'])
    headers.authorization = {
      'no token': '',
      'a garbage token': `Bearer ${wellFormed(hostileString(rng).slice(0, 200)).replace(/[^\x20-\x7e]/g, '?')}`,
      "another tenant's token": `Bearer ${ids.otherToken}`,
      'a Basic header': 'Basic YWRtaW46YWRtaW4=',
    }[label]!
    body = JSON.stringify(valid)
  } else body = JSON.stringify(valid)
  // The fetch API refuses a GET with a body; a DELETE may carry one and must ignore it.
  if (op.method === 'GET' || (op.method === 'DELETE' && rng.chance(0.8))) body = undefined
  for (const [k, v] of Object.entries(headers)) if (v === '') delete headers[k]
  return { label, path, init: { method: op.method, headers, body } }
}

/** The systematic pass: a valid call with exactly one top-level field of its body broken one way. */
export function fieldCase(
  rng: FuzzRandom,
  op: ApiOperation,
  ids: FuzzIds,
  valid: Record<string, unknown>,
  field: string,
  variant: (typeof fieldVariants)[number],
): FuzzRequest {
  const path = op.path.replace('{id}', () => (op.path.includes('Groups') ? ids.groupId : ids.userId))
  const headers = {
    authorization: `Bearer ${ids.token}`,
    'content-type': op.path.startsWith('/scim/') ? 'application/scim+json' : 'application/json',
  }
  const body = JSON.stringify(breakField(rng, valid, field, variant))
  return { label: `${field}: ${variant}`, path, init: { method: op.method, headers, body } }
}

/** A GET of the page itself with a hostile query: returnTo, required and names no page reads. */
export function pageQueryCase(rng: FuzzRandom, page: string): FuzzRequest {
  const [path, existing] = page.split('?') as [string, string | undefined]
  const names = [...new URLSearchParams(existing ?? '').keys(), 'returnTo', 'x']
  const pairs = Array.from({ length: rng.int(1, 3) }, () => {
    const value = rng.chance(0.25) ? rng.pick(rawPercent) : encode(hostileString(rng).slice(0, 1000))
    return `${encode(rng.pick(names))}=${value}`
  })
  return { label: 'a hostile query on the page', path: `${path}?${pairs.join('&')}`, init: { method: 'GET', headers: {} } }
}
