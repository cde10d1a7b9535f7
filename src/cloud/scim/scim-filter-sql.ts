/** @module Compiles a parsed SCIM filter to a Kysely SQL condition that runs on SQLite and PostgreSQL. */
import { type RawBuilder, type SqlBool, sql } from 'kysely'
import { IdbridgeError, type Result } from '../../errors/idbridge-error.ts'
import { parseScimDateTime } from './scim-date-time.ts'
import type { ScimAttributePath, ScimCompareFilter, ScimFilter } from './scim-filter-ast.ts'

/** How a column stores a SCIM attribute: strings as text, booleans as integer 0/1, datetimes as integer epoch ms. */
export type ScimAttributeType = 'string' | 'boolean' | 'datetime'

/** The column behind one filterable attribute. */
export interface ScimAttributeColumn {
  /** Passed to `sql.ref`, so `table.column` works; never taken from client text. */
  readonly column: string
  readonly type: ScimAttributeType
  /** Compare strings exactly (RFC 7643 `caseExact`, e.g. `id`, `externalId`); default is case-insensitive. */
  readonly caseExact?: boolean
}

/** Keys are lower-cased attribute paths without schema prefix, e.g. 'username', 'name.givenname', 'emails.value', 'meta.lastmodified'. */
export type ScimAttributeMap = Readonly<Record<string, ScimAttributeColumn>>

type Condition = RawBuilder<SqlBool>

/**
 * Turns a filter into a WHERE condition. Columns come only from `attributes` (through
 * `sql.ref`) and every value is a bound parameter, so filter text never becomes SQL.
 *
 * Semantics, chosen to match RFC 7644 where SQL's three-valued logic would differ:
 * - `ne` and `not (...)` also match rows where the column is NULL (an unassigned attribute
 *   "is not equal"): `col IS NULL OR col <> ?` and `(...) IS NOT TRUE`.
 * - `eq null` / `ne null` test `IS NULL` / `IS NOT NULL`; other operators reject null.
 * - Strings compare with `lower()` on both sides unless `caseExact`. `co`/`sw`/`ew` use LIKE with
 *   `%`, `_` and `\` escaped; with `caseExact` they use `substr`/`replace` because SQLite's LIKE
 *   ignores ASCII case. An empty `co`/`sw`/`ew` value matches every non-NULL value.
 * - `pr` on a string also requires it to be non-empty.
 * - A schema URN prefix is accepted and dropped: map keys do not distinguish schemas.
 * - A value path `emails[type eq "work" and value co "@x"]` needs `emails.type` and
 *   `emails.value` in the map and compares both against the same row.
 *
 * @returns the condition, or `IDB_ERR_SCIM_FILTER` (`scimType: 'invalidFilter'`) naming an
 * unsupported attribute, operator or value.
 * @example
 * const parsed = parseScimFilter('userName sw "j" and active eq true')
 * const where = parsed.ok && compileScimFilter(parsed.value, {
 *   username: { column: 'users.user_name', type: 'string' },
 *   active: { column: 'users.active', type: 'boolean' },
 * })
 * if (where && where.ok) await db.selectFrom('users').selectAll().where(where.value).execute()
 */
export function compileScimFilter(filter: ScimFilter, attributes: ScimAttributeMap): Result<Condition> {
  return compileNode(filter, attributes, undefined)
}

function compileNode(node: ScimFilter, attributes: ScimAttributeMap, parent: string | undefined): Result<Condition> {
  switch (node.kind) {
    case 'and':
    case 'or': {
      const left = compileNode(node.left, attributes, parent)
      if (!left.ok) return left
      const right = compileNode(node.right, attributes, parent)
      if (!right.ok) return right
      return ok(node.kind === 'and' ? sql`(${left.value} AND ${right.value})` : sql`(${left.value} OR ${right.value})`)
    }
    case 'not': {
      const inner = compileNode(node.filter, attributes, parent)
      return inner.ok ? ok(sql`((${inner.value}) IS NOT TRUE)`) : inner
    }
    case 'valuePath':
      // The parser allows neither nesting nor sub-attributes here, so the inner paths are plain names.
      return compileNode(node.filter, attributes, node.path.attribute)
    case 'present': {
      const found = lookup(node.path, attributes, parent)
      if (!found.ok) return found
      const ref = sql.ref(found.value.column)
      return ok(found.value.type === 'string' ? sql`(${ref} IS NOT NULL AND ${ref} <> '')` : sql`(${ref} IS NOT NULL)`)
    }
    case 'compare': {
      const found = lookup(node.path, attributes, parent)
      return found.ok ? compileCompare(node, found.value, displayName(node.path, parent)) : found
    }
  }
}

function compileCompare(node: ScimCompareFilter, column: ScimAttributeColumn, name: string): Result<Condition> {
  const { operator, value } = node
  const ref = sql.ref(column.column)
  const at = `attribute "${name}" at position ${node.path.position}`
  if (value === null) {
    if (operator === 'eq') return ok(sql`(${ref} IS NULL)`)
    if (operator === 'ne') return ok(sql`(${ref} IS NOT NULL)`)
    return invalidFilter(`operator "${operator}" cannot compare ${at} with null`)
  }
  if (column.type === 'boolean') {
    if (typeof value !== 'boolean') return invalidFilter(`${at} is a boolean; compare it with true or false`)
    const bit = value ? 1 : 0
    if (operator === 'eq') return ok(sql`(${ref} = ${bit})`)
    if (operator === 'ne') return ok(sql`(${ref} IS NULL OR ${ref} <> ${bit})`)
    return invalidFilter(`operator "${operator}" is not supported for boolean ${at}`)
  }
  if (typeof value !== 'string') return invalidFilter(`${at} needs a string value, not ${JSON.stringify(value)}`)
  if (column.type === 'datetime') {
    const millis = parseScimDateTime(value)
    if (millis === undefined) {
      return invalidFilter(`${at} needs a date-time such as "2011-05-13T04:42:34Z", not ${JSON.stringify(value)}`)
    }
    if (operator === 'co' || operator === 'sw' || operator === 'ew') {
      return invalidFilter(`operator "${operator}" is not supported for date-time ${at}`)
    }
    return ok(ordered(operator, ref, sql`${millis}`))
  }
  if (column.caseExact) return ok(compileCaseExact(operator, ref, value))
  const lowered = sql`lower(${value})`
  if (operator === 'co' || operator === 'sw' || operator === 'ew') {
    if (value === '') return ok(sql`(${ref} IS NOT NULL)`)
    const escaped = value.replace(/[\\%_]/g, (char) => `\\${char}`)
    const pattern = operator === 'sw' ? `${escaped}%` : operator === 'ew' ? `%${escaped}` : `%${escaped}%`
    return ok(sql`(lower(${ref}) LIKE lower(${pattern}) ESCAPE '\\')`)
  }
  return ok(ordered(operator, sql`lower(${ref})`, lowered, ref))
}

function compileCaseExact(operator: ScimCompareFilter['operator'], ref: RawBuilder<unknown>, value: string): Condition {
  if ((operator === 'co' || operator === 'sw' || operator === 'ew') && value === '') return sql`(${ref} IS NOT NULL)`
  if (operator === 'co') return sql`(replace(${ref}, ${value}, '') <> ${ref})`
  if (operator === 'sw') return sql`(substr(${ref}, 1, length(${value})) = ${value})`
  if (operator === 'ew') {
    return sql`(length(${ref}) >= length(${value}) AND substr(${ref}, length(${ref}) - length(${value}) + 1) = ${value})`
  }
  return ordered(operator, ref, sql`${value}`)
}

/** eq/ne/gt/ge/lt/le; `nullable` is the raw column so `ne` can also match NULL. */
function ordered(
  operator: 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le',
  left: RawBuilder<unknown>,
  right: RawBuilder<unknown>,
  nullable: RawBuilder<unknown> = left,
): Condition {
  switch (operator) {
    case 'eq':
      return sql`(${left} = ${right})`
    case 'ne':
      return sql`(${nullable} IS NULL OR ${left} <> ${right})`
    case 'gt':
      return sql`(${left} > ${right})`
    case 'ge':
      return sql`(${left} >= ${right})`
    case 'lt':
      return sql`(${left} < ${right})`
    case 'le':
      return sql`(${left} <= ${right})`
  }
}

function displayName(path: ScimAttributePath, parent: string | undefined): string {
  const name = path.subAttribute === undefined ? path.attribute : `${path.attribute}.${path.subAttribute}`
  return parent === undefined ? name : `${parent}.${name}`
}

function lookup(
  path: ScimAttributePath,
  attributes: ScimAttributeMap,
  parent: string | undefined,
): Result<ScimAttributeColumn> {
  const name = displayName(path, parent)
  const key = name.toLowerCase()
  // hasOwn, so that "constructor" or "__proto__" in a filter cannot reach Object.prototype.
  const column = Object.hasOwn(attributes, key) ? attributes[key] : undefined
  if (column === undefined) return invalidFilter(`unsupported attribute "${name}" at position ${path.position}`)
  if (column.column === '' || !['string', 'boolean', 'datetime'].includes(column.type)) {
    throw new Error(`compileScimFilter: the attribute map entry "${key}" needs a column and a known type`)
  }
  return ok(column)
}

function ok<T>(value: T): Result<T> {
  return { ok: true, value }
}

function invalidFilter(detail: string): Result<never> {
  return { ok: false, error: new IdbridgeError('IDB_ERR_SCIM_FILTER', { detail, data: { scimType: 'invalidFilter' } }) }
}
