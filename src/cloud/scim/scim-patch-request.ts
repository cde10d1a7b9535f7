/** @module Validates the body of a SCIM PATCH request (RFC 7644 §3.5.2). */
import { z } from 'zod'
import { IdbridgeError, type Result } from '../../errors/idbridge-error.ts'
import { isScimObject } from './scim-attribute-key.ts'

/** The message schema every PATCH body must list. */
export const SCIM_PATCH_OP_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:PatchOp'

/** Bounds on one PATCH body, so that a request cannot make the server walk an unbounded document. */
export const SCIM_PATCH_LIMITS = { maxOperations: 100, maxValueDepth: 16 } as const

/** One operation with `op` lower-cased (Azure AD sends `"Replace"`). */
export interface ScimPatchOperation {
  readonly op: 'add' | 'replace' | 'remove'
  readonly path?: string
  readonly value?: unknown
}

const OPS = ['add', 'replace', 'remove'] as const

const operationSchema = z.object({
  op: z
    .string()
    .refine((op) => (OPS as readonly string[]).includes(op.toLowerCase()), {
      error: (issue) => `expected "add", "replace" or "remove", not ${JSON.stringify(issue.input).slice(0, 40)}`,
    })
    .transform((op) => op.toLowerCase() as ScimPatchOperation['op']),
  path: z.string().optional(),
  value: z.unknown().optional(),
})

const requestSchema = z.object({
  schemas: z
    .array(z.string())
    .refine((schemas) => schemas.some((s) => s.toLowerCase() === SCIM_PATCH_OP_SCHEMA.toLowerCase()), {
      error: `must include "${SCIM_PATCH_OP_SCHEMA}"`,
    }),
  Operations: z
    .array(operationSchema)
    .min(1, { error: 'needs at least one operation' })
    .max(SCIM_PATCH_LIMITS.maxOperations, {
      error: `has more than ${SCIM_PATCH_LIMITS.maxOperations} operations; send several requests`,
    }),
})

/**
 * Checks the PATCH envelope and that every `value` is plain JSON no deeper than
 * `SCIM_PATCH_LIMITS.maxValueDepth`, so later steps can clone and walk it recursively.
 *
 * @returns the operations, or `IDB_ERR_INVALID_INPUT` with `scimType: 'invalidSyntax'` (or
 * `'invalidValue'` for a bad `value`) and a detail naming the field, e.g. `Operations[0].op: ...`.
 */
export function parseScimPatchRequest(body: unknown): Result<readonly ScimPatchOperation[]> {
  const parsed = requestSchema.safeParse(body)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!
    return invalid('invalidSyntax', `${formatPath(issue.path)}: ${issue.message}`)
  }
  for (const [index, operation] of parsed.data.Operations.entries()) {
    if (!('value' in operation)) continue
    const problem = findJsonProblem(operation.value)
    if (problem !== undefined) return invalid('invalidValue', `Operations[${index}].value${problem}`)
  }
  return { ok: true, value: parsed.data.Operations }
}

function formatPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return 'body'
  return path
    .map((part, i) => (typeof part === 'number' ? `[${part}]` : i === 0 ? String(part) : `.${String(part)}`))
    .join('')
}

/** Iterative, so a hostile nesting depth cannot overflow the stack before the limit is seen. */
function findJsonProblem(root: unknown): string | undefined {
  const stack: Array<{ value: unknown; depth: number; at: string }> = [{ value: root, depth: 0, at: '' }]
  while (stack.length > 0) {
    const { value, depth, at } = stack.pop()!
    if (depth > SCIM_PATCH_LIMITS.maxValueDepth)
      return `${at}: nested deeper than ${SCIM_PATCH_LIMITS.maxValueDepth} levels`
    if (value === null || typeof value === 'string' || typeof value === 'boolean') continue
    if (typeof value === 'number') {
      if (!Number.isFinite(value)) return `${at}: numbers must be finite`
    } else if (Array.isArray(value)) {
      value.forEach((item, i) => {
        stack.push({ value: item, depth: depth + 1, at: `${at}[${i}]` })
      })
    } else if (isScimObject(value)) {
      for (const [key, item] of Object.entries(value))
        stack.push({ value: item, depth: depth + 1, at: `${at}.${key.slice(0, 40)}` })
    } else {
      return `${at}: is not a JSON value`
    }
  }
  return undefined
}

function invalid(scimType: string, detail: string): Result<never> {
  return { ok: false, error: new IdbridgeError('IDB_ERR_INVALID_INPUT', { detail, data: { scimType } }) }
}
