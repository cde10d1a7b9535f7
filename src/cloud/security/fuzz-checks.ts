/** @module Test support: what every fuzzed response must satisfy, as a list of problems (empty when fine). */
import { errorCatalogue } from '../../errors/error-catalogue.ts'
import { ECHO_MARKER } from './fuzz-values.ts'

/** The only 5xx a request may cause: the store itself failing, which the catalogue documents. */
const ALLOWED_5XX = new Set(['IDB_ERR_STORE_UNAVAILABLE', 'IDB_ERR_STORE_FULL'])
const CODE = /\b(?:IDB_ERR|AGENT_ERR|SSPR)_[A-Z0-9_]+\b/g

/** A response read once, so checks and failure messages share the body. */
export interface FuzzResponse {
  readonly status: number
  readonly headers: Headers
  readonly text: string
}

function errorCodeOf(res: FuzzResponse, json: boolean): { code?: string; supportCode?: string } {
  if (!json) {
    const code = (res.text.match(CODE) ?? []).find((c) => Object.hasOwn(errorCatalogue, c))
    const support = res.headers.get('x-correlation-id') ?? ''
    return { code, supportCode: support && res.text.includes(support) ? support : undefined }
  }
  try {
    const body = JSON.parse(res.text) as { code?: string; supportCode?: string; error?: { code?: string; supportCode?: string } }
    return body.error ?? body
  } catch {
    return {}
  }
}

export function responseProblems(res: FuzzResponse, path: string): string[] {
  const problems: string[] = []
  const type = res.headers.get('content-type') ?? ''
  const html = type.startsWith('text/html')
  const json = /^application\/(scim\+)?json/.test(type)
  const support = res.headers.get('x-correlation-id')
  if (!support) problems.push('no x-correlation-id header')
  if (res.headers.get('x-content-type-options') !== 'nosniff') problems.push('no nosniff header')
  if (html && (res.text.includes(ECHO_MARKER) || /<script>alert|<img src=x/i.test(res.text))) {
    problems.push('the page echoes input unescaped')
  }
  if ((path.startsWith('/api/') || path.startsWith('/scim/')) && res.text && !json) {
    problems.push(`the API answered ${type || 'without a content type'}`)
  }
  if (json && res.text) {
    try {
      JSON.parse(res.text)
    } catch {
      problems.push('a JSON response does not parse')
    }
  }
  if (res.status < 400) return problems
  const { code, supportCode } = errorCodeOf(res, json)
  if (!code || !Object.hasOwn(errorCatalogue, code)) problems.push(`error ${res.status} without a catalogue code`)
  else if (errorCatalogue[code as keyof typeof errorCatalogue].status >= 500 && !ALLOWED_5XX.has(code)) {
    problems.push(`5xx ${code}`)
  }
  if (res.status >= 500 && !(code && ALLOWED_5XX.has(code))) problems.push(`status ${res.status}`)
  if (!supportCode || supportCode !== support) problems.push('error without its support code')
  return problems
}
