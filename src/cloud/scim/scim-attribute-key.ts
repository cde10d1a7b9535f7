/** @module Case-insensitive attribute lookup on plain JSON objects (RFC 7643 §2.1: names are case-insensitive). */

/** A JSON object as SCIM resources and complex values are. */
export type ScimObject = Record<string, unknown>

/** True for `{...}`, false for arrays, null and class instances. */
export function isScimObject(value: unknown): value is ScimObject {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false
  const proto = Object.getPrototypeOf(value)
  return proto === Object.prototype || proto === null
}

/**
 * The key of `object` that spells `name` case-insensitively, so updates keep the resource's
 * existing spelling. Only own keys count, so `constructor` or `__proto__` never match.
 *
 * @example
 * findScimKey({ userName: 'b' }, 'USERNAME') // 'userName'
 */
export function findScimKey(object: ScimObject, name: string): string | undefined {
  if (Object.hasOwn(object, name)) return name
  const lower = name.toLowerCase()
  return Object.keys(object).find((key) => key.toLowerCase() === lower)
}

/** The value under `name` (case-insensitive), or `undefined`. */
export function getScimAttribute(object: ScimObject, name: string): unknown {
  const key = findScimKey(object, name)
  return key === undefined ? undefined : object[key]
}

/** Core schemas keep their attributes at the top level; extensions nest under their URN (RFC 7643 §3.3). */
export function isCoreSchema(schema: string): boolean {
  return schema.toLowerCase().startsWith('urn:ietf:params:scim:schemas:core:')
}
