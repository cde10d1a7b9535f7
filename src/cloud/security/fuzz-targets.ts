/** @module Test support: what the fuzzer sends to: API operations from the OpenAPI document, forms from the pages. */
import { openApiDocument } from '../web/openapi-document.ts'

/** One method on one path, as the OpenAPI document describes it. */
export interface ApiOperation {
  readonly path: string
  readonly method: string
  /** Query parameter names the document lists. */
  readonly query: readonly string[]
  readonly hasBody: boolean
}

type OperationObject = { parameters?: readonly { name: string; in: string }[]; requestBody?: unknown }

/** Every operation of the document; a route added there is fuzzed without touching the test. */
export function apiOperations(doc: { paths: Record<string, object> } = openApiDocument): ApiOperation[] {
  const out: ApiOperation[] = []
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const method of ['get', 'post', 'put', 'patch', 'delete']) {
      const op = (item as Record<string, OperationObject | undefined>)[method]
      if (!op) continue
      const query = (op.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name)
      out.push({ path, method: method.toUpperCase(), query, hasBody: op.requestBody !== undefined })
    }
  }
  return out
}

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User'
const PATCH = 'urn:ietf:params:scim:api:messages:2.0:PatchOp'

/**
 * A body the operation accepts, which the fuzzer then breaks one field at a time. A SCIM user's
 * password is optional and costs an scrypt hash, so it is there only when asked for.
 */
export function validBody(
  op: ApiOperation,
  ids: { userId: string; userName: string; n: number },
  options: { withPassword?: boolean } = {},
): Record<string, unknown> {
  const { path, method } = op
  const strong = `Fz-Strong-${ids.n}-Pass!`
  const password = options.withPassword ? { password: strong } : {}
  if (path === '/scim/v2/Users' && method === 'POST') {
    return { schemas: [USER], userName: `fz-new-${ids.n}@contoso.test`, displayName: 'Fuzz', active: true, ...password }
  }
  if (path === '/scim/v2/Users/{id}' && method === 'PUT') {
    return { schemas: [USER], userName: ids.userName, displayName: `Fuzz ${ids.n}`, active: true, ...password }
  }
  if (path.startsWith('/scim/v2/Groups') && (method === 'POST' || method === 'PUT')) {
    return { displayName: `Fuzz group ${ids.n}`, members: [{ value: ids.userId }] }
  }
  if (method === 'PATCH' && path.startsWith('/scim/')) {
    const value = path.includes('Groups') ? [{ value: ids.userId }] : `Fuzz ${ids.n}`
    const target = path.includes('Groups') ? 'members' : 'displayName'
    return { schemas: [PATCH], Operations: [{ op: path.includes('Groups') ? 'add' : 'replace', path: target, value }] }
  }
  if (path === '/api/v1/tenant/settings') return { ssprGatesRequired: 1, ssprAllowUnlockOnly: true }
  if (path.endsWith('/password')) return { password: strong, forceChangePasswordNextSignIn: false }
  return {}
}

/** A form as a page renders it: where it posts and its fields with their default values. */
export interface PageForm {
  readonly action: string
  readonly fields: Record<string, string>
}

const attr = (tag: string, name: string) => new RegExp(`\\s${name}="([^"]*)"`).exec(tag)?.[1]
const unescapeHtml = (s: string) => s.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&')

/** The POST forms of a page, parsed from its HTML: inputs, selects (the selected option) and checked radios. */
export function formsOf(html: string): PageForm[] {
  const forms: PageForm[] = []
  for (const match of html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/g)) {
    const [, open, inner] = match as unknown as [string, string, string]
    if (attr(open, 'method')?.toLowerCase() !== 'post') continue
    const fields: Record<string, string> = {}
    for (const tag of inner.match(/<(input|textarea)\b[^>]*>/g) ?? []) {
      const name = attr(tag, 'name')
      if (!name || (tag.includes('type="radio"') && name in fields && !tag.includes(' checked'))) continue
      fields[name] = unescapeHtml(attr(tag, 'value') ?? '')
    }
    for (const [, open, options] of inner.matchAll(/<select\b([^>]*)>([\s\S]*?)<\/select>/g)) {
      const all = options!.match(/<option\b[^>]*>/g) ?? []
      const chosen = all.find((o) => /\sselected\b/.test(o)) ?? all[0]
      fields[attr(open!, 'name') ?? ''] = unescapeHtml((chosen && attr(chosen, 'value')) ?? '')
    }
    forms.push({ action: unescapeHtml(attr(open, 'action') ?? ''), fields })
  }
  return forms
}
