/** @module Evaluates a parsed SCIM filter against a JSON object in memory. */
import { getScimAttribute, isCoreSchema, isScimObject, type ScimObject } from './scim-attribute-key.ts'
import { parseScimDateTime } from './scim-date-time.ts'
import type { ScimAttributePath, ScimCompareOperator, ScimCompareValue, ScimFilter } from './scim-filter-ast.ts'

/**
 * Tests `value` (a resource, or one element of a multi-valued attribute) against a filter.
 * Used for PATCH value-selection filters such as `members[value eq "2819c223"]`.
 *
 * With no schema at hand it is lenient and consistent with `compileScimFilter`: strings compare
 * case-insensitively, two date-time strings compare as instants, an attribute that is a list
 * matches if any of its values matches, `ne` and `not` also match an unassigned attribute, and
 * a comparison between different JSON types never matches.
 *
 * @example
 * matchesScimFilter(filter, { type: 'work', value: 'bjensen@example.com' }) // true for `type eq "WORK"`
 */
export function matchesScimFilter(filter: ScimFilter, value: Record<string, unknown>): boolean {
  switch (filter.kind) {
    case 'and':
      return matchesScimFilter(filter.left, value) && matchesScimFilter(filter.right, value)
    case 'or':
      return matchesScimFilter(filter.left, value) || matchesScimFilter(filter.right, value)
    case 'not':
      return !matchesScimFilter(filter.filter, value)
    case 'valuePath':
      return resolve(value, filter.path).some(
        (element) => isScimObject(element) && matchesScimFilter(filter.filter, element),
      )
    case 'present':
      return resolve(value, filter.path).some(isPresent)
    case 'compare': {
      const values = resolve(value, filter.path)
      // resolve() drops null, so `eq null` means "unassigned" and `ne null` means "assigned".
      if (filter.value === null)
        return filter.operator === 'eq' ? values.length === 0 : filter.operator === 'ne' && values.length > 0
      if (filter.operator === 'ne') return values.length === 0 || values.some((v) => !compare('eq', v, filter.value))
      return values.some((v) => compare(filter.operator, v, filter.value))
    }
  }
}

/** The assigned values at `path`, with lists flattened and null/undefined dropped. */
function resolve(resource: ScimObject, path: ScimAttributePath): unknown[] {
  let container = resource
  if (path.schema !== undefined && !isCoreSchema(path.schema)) {
    const extension = getScimAttribute(resource, path.schema)
    if (isScimObject(extension)) container = extension
  }
  let values = toList(getScimAttribute(container, path.attribute))
  if (path.subAttribute !== undefined) {
    const sub = path.subAttribute
    values = values.flatMap((element) => (isScimObject(element) ? toList(getScimAttribute(element, sub)) : []))
  }
  return values
}

function toList(value: unknown): unknown[] {
  if (value === undefined || value === null) return []
  return Array.isArray(value) ? value.filter((v) => v !== undefined && v !== null) : [value]
}

function isPresent(value: unknown): boolean {
  if (value === '') return false
  return !isScimObject(value) || Object.keys(value).length > 0
}

function compare(operator: ScimCompareOperator, actual: unknown, expected: ScimCompareValue): boolean {
  if (expected === null) return false
  if (typeof expected === 'boolean') return typeof actual === 'boolean' && operator === 'eq' && actual === expected
  if (typeof expected === 'number') return typeof actual === 'number' && order(operator, actual, expected)
  if (typeof actual !== 'string') return false
  const actualTime = parseScimDateTime(actual)
  const expectedTime = parseScimDateTime(expected)
  if (actualTime !== undefined && expectedTime !== undefined && !['co', 'sw', 'ew'].includes(operator)) {
    return order(operator, actualTime, expectedTime)
  }
  return order(operator, actual.toLowerCase(), expected.toLowerCase())
}

function order<T extends string | number>(operator: ScimCompareOperator, actual: T, expected: T): boolean {
  switch (operator) {
    case 'eq':
      return actual === expected
    case 'ne':
      return actual !== expected
    case 'gt':
      return actual > expected
    case 'ge':
      return actual >= expected
    case 'lt':
      return actual < expected
    case 'le':
      return actual <= expected
    case 'co':
      return typeof actual === 'string' && actual.includes(expected as string)
    case 'sw':
      return typeof actual === 'string' && actual.startsWith(expected as string)
    case 'ew':
      return typeof actual === 'string' && actual.endsWith(expected as string)
  }
}
