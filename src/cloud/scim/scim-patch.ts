/** @module Applies a SCIM PATCH request (RFC 7644 §3.5.2) to a resource held as plain JSON. */
import { IdbridgeError, type Result } from '../../errors/idbridge-error.ts'
import { findScimKey, isScimObject } from './scim-attribute-key.ts'
import { patchFailure, type ScimPatchFailure } from './scim-patch-failure.ts'
import { parseScimPatchPath } from './scim-patch-path.ts'
import { parseScimPatchRequest, type ScimPatchOperation } from './scim-patch-request.ts'
import { applyAtPath } from './scim-patch-target.ts'

/** A SCIM resource as stored and sent: a plain JSON object. */
export type ScimResource = Record<string, unknown>

/**
 * Validates a PATCH body and applies its operations in order to a copy of `resource`. All or
 * nothing: the first failing operation fails the request, and `resource` is never changed.
 *
 * Supported: `add`/`replace`/`remove` in any letter case; no path with an object value (keys may
 * be paths such as `name.givenName`, as Azure AD sends, or extension URNs holding objects);
 * simple and sub-attribute paths; value-selection filters such as `emails[type eq "work"].value`
 * and `members[value eq "abc"]`; Azure AD's `remove` of `members` with the members as the value.
 * `id`, `meta` and `schemas` are read-only (`mutability`), except that repeating their current
 * value is accepted, as Okta does with `id`.
 *
 * @returns the patched copy, or `IDB_ERR_INVALID_INPUT` whose `data.scimType` is the RFC 7644
 * §3.12 error type and whose detail names the operation, e.g. `Operations[1]: "id" is read-only`.
 * @example
 * const patched = applyScimPatch(group, {
 *   schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
 *   Operations: [{ op: 'remove', path: 'members[value eq "2819c223"]' }],
 * })
 * if (!patched.ok) return patched
 */
export function applyScimPatch(resource: ScimResource, body: unknown): Result<ScimResource> {
  const operations = parseScimPatchRequest(body)
  if (!operations.ok) return operations
  const result = structuredClone(resource)
  for (const [index, operation] of operations.value.entries()) {
    const failure = applyOperation(result, operation)
    if (failure !== undefined) {
      const detail = `Operations[${index}]: ${failure.detail}`
      return {
        ok: false,
        error: new IdbridgeError('IDB_ERR_INVALID_INPUT', { detail, data: { scimType: failure.scimType } }),
      }
    }
  }
  return { ok: true, value: result }
}

function applyOperation(resource: ScimResource, operation: ScimPatchOperation): ScimPatchFailure | undefined {
  // A private copy, so the result never shares objects with the request body.
  const value = operation.value === undefined ? undefined : structuredClone(operation.value)
  if (operation.op !== 'remove' && value === undefined) {
    return patchFailure('invalidValue', `"${operation.op}" needs a value`)
  }
  // RFC 7643 §2.5: replacing with null unassigns the attribute.
  const op = operation.op === 'replace' && value === null ? 'remove' : operation.op
  if (operation.path === undefined) {
    if (op === 'remove') return patchFailure('noTarget', '"remove" needs a path')
    if (!isScimObject(value))
      return patchFailure('invalidValue', 'without a path, the value must be an object of attributes')
    return mergeResource(resource, op, value)
  }
  const path = parseScimPatchPath(operation.path)
  if (!path.ok) return patchFailure('invalidPath', path.error.detail ?? 'invalid path')
  return applyAtPath(resource, op, path.value, value)
}

function mergeResource(
  resource: ScimResource,
  op: 'add' | 'replace',
  value: Record<string, unknown>,
): ScimPatchFailure | undefined {
  for (const [key, item] of Object.entries(value)) {
    const extension = isExtensionContainer(resource, key, item)
    const entries = extension
      ? Object.entries(item as Record<string, unknown>).map(([sub, v]) => [`${key}:${sub}`, v] as const)
      : [[key, item] as const]
    for (const [pathText, itemValue] of entries) {
      const path = parseScimPatchPath(pathText)
      if (!path.ok) return patchFailure('invalidPath', `attribute ${path.error.detail ?? ''}`)
      const itemOp = op === 'replace' && itemValue === null ? 'remove' : op
      const failure = applyAtPath(resource, itemOp, path.value, itemValue)
      if (failure !== undefined) return failure
    }
  }
  return undefined
}

/**
 * `"urn:…:enterprise:2.0:User": { department: "x" }` holds extension attributes, while
 * `"urn:…:enterprise:2.0:User:department": "x"` is itself a path. Both spell a URN, so a key
 * counts as a container only if the resource already lists or holds that schema.
 */
function isExtensionContainer(resource: ScimResource, key: string, value: unknown): boolean {
  if (!isScimObject(value) || !key.toLowerCase().startsWith('urn:')) return false
  if (findScimKey(resource, key) !== undefined) return true
  const schemas = resource.schemas
  return Array.isArray(schemas) && schemas.some((s) => typeof s === 'string' && s.toLowerCase() === key.toLowerCase())
}
