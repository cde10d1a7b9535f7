/** @module Sets one attribute of a JSON object the way a SCIM PATCH add or replace does. */
import { isDeepStrictEqual } from 'node:util'
import { findScimKey, getScimAttribute, isScimObject, type ScimObject } from './scim-attribute-key.ts'
import { patchFailure, type ScimPatchFailure } from './scim-patch-failure.ts'

// Same rule as the filter grammar's ATTRNAME; it also keeps `__proto__` out of merged objects.
const ATTRIBUTE_NAME = /^(?:[A-Za-z][A-Za-z0-9_-]*|\$ref)$/

/**
 * Sets `name` on `object` (matching the existing key case-insensitively) with RFC 7644 §3.5.2
 * semantics: `add` appends to a multi-valued attribute, skipping values already there; both ops
 * merge an object into an existing complex attribute; `null` unassigns. A string "True"/"False"
 * sent for an attribute that is currently boolean becomes a boolean, because Azure AD sends
 * `active` that way.
 *
 * @internal
 */
export function setScimValue(
  object: ScimObject,
  name: string,
  value: unknown,
  op: 'add' | 'replace',
): ScimPatchFailure | undefined {
  if (!ATTRIBUTE_NAME.test(name)) {
    return patchFailure('invalidValue', `${JSON.stringify(name.slice(0, 40))} is not a valid attribute name`)
  }
  const key = findScimKey(object, name) ?? name
  const current = object[key]
  if (value === null || value === undefined) {
    // RFC 7643 §2.5: null and unassigned are the same state.
    delete object[key]
    return undefined
  }
  if (op === 'add' && (current === undefined || Array.isArray(current)) && Array.isArray(value)) {
    object[key] = appendValues(Array.isArray(current) ? current : [], value)
    return undefined
  }
  if (op === 'add' && Array.isArray(current)) {
    object[key] = appendValues(current, [value])
    return undefined
  }
  if (isScimObject(current) && isScimObject(value)) {
    for (const [subName, item] of Object.entries(value)) {
      const failure = setScimValue(current, subName, item, op)
      if (failure !== undefined) return failure
    }
    return undefined
  }
  object[key] = typeof current === 'boolean' && typeof value === 'string' ? toBoolean(value) : value
  return undefined
}

function toBoolean(value: string): boolean | string {
  const lower = value.toLowerCase()
  return lower === 'true' ? true : lower === 'false' ? false : value
}

function appendValues(current: readonly unknown[], added: readonly unknown[]): unknown[] {
  const list = [...current]
  for (const item of added) {
    if (list.some((existing) => sameValue(existing, item))) continue
    // RFC 7643 §2.4: at most one value may be primary, so a new primary demotes the others.
    if (isScimObject(item) && getScimAttribute(item, 'primary') === true) {
      for (const existing of list) {
        const primaryKey = isScimObject(existing) ? findScimKey(existing, 'primary') : undefined
        if (primaryKey !== undefined) (existing as ScimObject)[primaryKey] = false
      }
    }
    list.push(item)
  }
  return list
}

/**
 * Elements of a multi-valued attribute are the same if their `value` sub-attributes are equal
 * (group members, emails), otherwise if they are deep-equal.
 *
 * @example
 * sameValue({ value: 'a', display: 'A' }, { value: 'a' }) // true
 */
export function sameValue(a: unknown, b: unknown): boolean {
  const left = isScimObject(a) ? getScimAttribute(a, 'value') : undefined
  const right = isScimObject(b) ? getScimAttribute(b, 'value') : undefined
  if (left !== undefined && right !== undefined) return isDeepStrictEqual(left, right)
  return isDeepStrictEqual(a, b)
}
