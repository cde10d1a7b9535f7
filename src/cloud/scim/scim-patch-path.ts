/** @module Parses the `path` of a SCIM PATCH operation (RFC 7644 §3.5.2). */
import { IdbridgeError, type Result } from '../../errors/idbridge-error.ts'
import { SCIM_FILTER_LIMITS } from './scim-filter.ts'
import type { ScimFilter } from './scim-filter-ast.ts'
import { tokenizeScimFilter } from './scim-filter-lexer.ts'
import { ScimFilterParser } from './scim-filter-parser.ts'
import { ScimSyntaxError } from './scim-syntax-error.ts'

/**
 * A PATCH target: `attribute[.subAttribute]`, or `attribute[filter][.subAttribute]`.
 *
 * @example
 * // emails[type eq "work"].value
 * { attribute: 'emails', filter: { kind: 'compare', ... }, subAttribute: 'value' }
 */
export interface ScimPatchPath {
  /** The schema URN prefix as written, e.g. the enterprise extension's. */
  readonly schema?: string
  readonly attribute: string
  readonly subAttribute?: string
  /** The value-selection filter over the elements of a multi-valued attribute. */
  readonly filter?: ScimFilter
}

/**
 * Parses a PATCH path with the same lexer, parser and limits as filters.
 *
 * @returns the path, or `IDB_ERR_INVALID_INPUT` with `data.scimType: 'invalidPath'`.
 * @example
 * parseScimPatchPath('members[value eq "2819c223"]')
 * parseScimPatchPath('urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager')
 */
export function parseScimPatchPath(text: string): Result<ScimPatchPath> {
  if (text.length > SCIM_FILTER_LIMITS.maxLength) {
    return invalidPath(
      `the path is ${text.length} characters long; at most ${SCIM_FILTER_LIMITS.maxLength} are allowed`,
    )
  }
  if (text.trim() === '') return invalidPath('the path is empty')
  try {
    const parser = new ScimFilterParser(tokenizeScimFilter(text), SCIM_FILTER_LIMITS)
    const { path, filter, subAttribute } = parser.parsePatchPath()
    parser.expectEnd('expected the end of the path')
    const sub = subAttribute ?? path.subAttribute
    return {
      ok: true,
      value: {
        ...(path.schema === undefined ? {} : { schema: path.schema }),
        attribute: path.attribute,
        ...(sub === undefined ? {} : { subAttribute: sub }),
        ...(filter === undefined ? {} : { filter }),
      },
    }
  } catch (error) {
    if (error instanceof ScimSyntaxError) return invalidPath(error.message)
    throw error
  }
}

function invalidPath(detail: string): Result<never> {
  return { ok: false, error: new IdbridgeError('IDB_ERR_INVALID_INPUT', { detail, data: { scimType: 'invalidPath' } }) }
}
