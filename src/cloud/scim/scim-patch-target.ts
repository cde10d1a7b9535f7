/** @module Applies one PATCH operation at one parsed path of a (cloned, mutable) resource. */
import { isDeepStrictEqual } from 'node:util'
import { findScimKey, getScimAttribute, isCoreSchema, isScimObject, type ScimObject } from './scim-attribute-key.ts'
import type { ScimFilter } from './scim-filter-ast.ts'
import { matchesScimFilter } from './scim-filter-match.ts'
import { patchFailure, type ScimPatchFailure } from './scim-patch-failure.ts'
import type { ScimPatchPath } from './scim-patch-path.ts'
import { sameValue, setScimValue } from './scim-patch-value.ts'

const READ_ONLY = new Set(['id', 'meta', 'schemas'])

/**
 * Applies `op` at `path`, changing `resource` in place; `applyScimPatch` hands it a private clone.
 * `value` must already be a private copy too. Returns a failure, or `undefined` on success.
 *
 * @internal
 */
export function applyAtPath(
  resource: ScimObject,
  op: 'add' | 'replace' | 'remove',
  path: ScimPatchPath,
  value: unknown,
): ScimPatchFailure | undefined {
  const name = path.subAttribute === undefined ? path.attribute : `${path.attribute}.${path.subAttribute}`
  if ((path.schema === undefined || isCoreSchema(path.schema)) && READ_ONLY.has(path.attribute.toLowerCase())) {
    // Okta repeats `id` in a no-path replace; an unchanged read-only value is not a change.
    const current = getScimAttribute(resource, path.attribute)
    const target =
      path.subAttribute === undefined || !isScimObject(current) ? current : getScimAttribute(current, path.subAttribute)
    if (op !== 'remove' && path.filter === undefined && isDeepStrictEqual(target, value)) return undefined
    return patchFailure('mutability', `"${name}" is read-only`)
  }
  const container = findContainer(resource, path.schema, op !== 'remove')
  if (container === undefined) return undefined
  const key = findScimKey(container, path.attribute) ?? path.attribute
  const current = container[key]
  if (path.filter !== undefined) return applyFiltered(container, key, op, path.filter, path.subAttribute, value)
  if (path.subAttribute !== undefined) {
    if (current === undefined && op === 'remove') return undefined
    if (current === undefined) {
      container[key] = {}
      return setScimValue(container[key] as ScimObject, path.subAttribute, value, 'replace')
    }
    if (Array.isArray(current)) {
      return patchFailure(
        'invalidPath',
        `"${path.attribute}" is multi-valued; pick values with a filter, e.g. ${path.attribute}[type eq "work"].${path.subAttribute}`,
      )
    }
    if (!isScimObject(current)) return patchFailure('invalidPath', `"${path.attribute}" has no sub-attributes`)
    if (op === 'remove') return removeKey(current, path.subAttribute)
    return setScimValue(current, path.subAttribute, value, op)
  }
  if (op !== 'remove') return setScimValue(container, key, value, op)
  if (Array.isArray(current) && value !== undefined) {
    // Azure AD removes group members with `path: "members"` and the members to drop as the value.
    const drop = Array.isArray(value) ? value : [value]
    const kept = current.filter((element) => !drop.some((item) => sameValue(element, item)))
    if (kept.length > 0) container[key] = kept
    else delete container[key]
    return undefined
  }
  return removeKey(container, path.attribute)
}

function applyFiltered(
  container: ScimObject,
  key: string,
  op: 'add' | 'replace' | 'remove',
  filter: ScimFilter,
  subAttribute: string | undefined,
  value: unknown,
): ScimPatchFailure | undefined {
  const current = container[key]
  if (current !== undefined && !Array.isArray(current))
    return patchFailure('invalidPath', `"${key}" is not multi-valued`)
  const list = current ?? []
  const matched = list.filter(
    (element): element is ScimObject => isScimObject(element) && matchesScimFilter(filter, element),
  )
  if (op === 'remove') {
    if (subAttribute !== undefined) {
      for (const element of matched) removeKey(element, subAttribute)
      return undefined
    }
    const kept = list.filter((element) => !matched.includes(element as ScimObject))
    if (kept.length > 0) container[key] = kept
    else if (current !== undefined) delete container[key]
    return undefined
  }
  if (matched.length === 0) {
    // RFC 7644 §3.5.2.3: replace with no match is noTarget. An add creates the value the filter describes.
    const template = op === 'add' ? equalityTemplate(filter) : undefined
    if (template === undefined) return patchFailure('noTarget', `no value of "${key}" matches the filter`)
    container[key] = [...list, template]
    matched.push(template)
  }
  for (const element of matched) {
    const copy = matched.length > 1 ? structuredClone(value) : value
    const failure =
      subAttribute !== undefined ? setScimValue(element, subAttribute, copy, 'replace') : mergeInto(element, copy, op)
    if (failure !== undefined) return failure
  }
  return undefined
}

function mergeInto(element: ScimObject, value: unknown, op: 'add' | 'replace'): ScimPatchFailure | undefined {
  if (!isScimObject(value))
    return patchFailure('invalidValue', 'a value filter without a sub-attribute needs an object value')
  for (const [name, item] of Object.entries(value)) {
    const failure = setScimValue(element, name, item, op)
    if (failure !== undefined) return failure
  }
  return undefined
}

/** `type eq "work" and primary eq true` → `{ type: 'work', primary: true }`; anything else → undefined. */
function equalityTemplate(filter: ScimFilter): ScimObject | undefined {
  if (
    filter.kind === 'compare' &&
    filter.operator === 'eq' &&
    filter.path.subAttribute === undefined &&
    filter.value !== null
  ) {
    return { [filter.path.attribute]: filter.value }
  }
  if (filter.kind !== 'and') return undefined
  const left = equalityTemplate(filter.left)
  const right = equalityTemplate(filter.right)
  return left && right ? { ...left, ...right } : undefined
}

/** The object holding the path's attribute: the resource, or an extension's object under its URN. */
function findContainer(resource: ScimObject, schema: string | undefined, create: boolean): ScimObject | undefined {
  if (schema === undefined || isCoreSchema(schema)) return resource
  const key = findScimKey(resource, schema)
  const existing = key === undefined ? undefined : resource[key]
  if (isScimObject(existing)) return existing
  if (!create) return undefined
  const created: ScimObject = {}
  resource[key ?? schema] = created
  const schemas = resource.schemas
  if (
    Array.isArray(schemas) &&
    !schemas.some((s) => typeof s === 'string' && s.toLowerCase() === schema.toLowerCase())
  ) {
    schemas.push(schema)
  }
  return created
}

function removeKey(object: ScimObject, name: string): undefined {
  const key = findScimKey(object, name)
  if (key !== undefined) delete object[key]
  return undefined
}
