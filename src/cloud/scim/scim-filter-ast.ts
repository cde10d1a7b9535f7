/** @module The syntax tree of an RFC 7644 §3.4.2.2 filter, shared by the parser, the SQL compiler and the evaluator. */

/** Comparison operators; `pr` (present) has its own node because it takes no value. */
export type ScimCompareOperator = 'eq' | 'ne' | 'co' | 'sw' | 'ew' | 'gt' | 'ge' | 'lt' | 'le'

/** A comparison value as JSON writes it in the filter text. */
export type ScimCompareValue = string | number | boolean | null

/**
 * An attribute path as written (names keep the client's spelling; consumers compare them
 * case-insensitively).
 *
 * @example
 * // urn:ietf:params:scim:schemas:core:2.0:User:name.givenName
 * { schema: 'urn:ietf:params:scim:schemas:core:2.0:User', attribute: 'name', subAttribute: 'givenName', position: 0 }
 */
export interface ScimAttributePath {
  readonly schema?: string
  readonly attribute: string
  readonly subAttribute?: string
  /** 0-based offset of the path in the filter text, so errors can point at it. */
  readonly position: number
}

/** `userName eq "bjensen"` */
export interface ScimCompareFilter {
  readonly kind: 'compare'
  readonly path: ScimAttributePath
  readonly operator: ScimCompareOperator
  readonly value: ScimCompareValue
}

/** `title pr` */
export interface ScimPresentFilter {
  readonly kind: 'present'
  readonly path: ScimAttributePath
}

/** `a and b`, `a or b` */
export interface ScimLogicalFilter {
  readonly kind: 'and' | 'or'
  readonly left: ScimFilter
  readonly right: ScimFilter
}

/** `not (a)` */
export interface ScimNotFilter {
  readonly kind: 'not'
  readonly filter: ScimFilter
}

/** `emails[type eq "work"]`: the inner filter's paths are sub-attributes of `path`. */
export interface ScimValuePathFilter {
  readonly kind: 'valuePath'
  readonly path: ScimAttributePath
  readonly filter: ScimFilter
}

/** A parsed SCIM filter. */
export type ScimFilter = ScimCompareFilter | ScimPresentFilter | ScimLogicalFilter | ScimNotFilter | ScimValuePathFilter
