/** @module Parses RFC 7644 §3.4.2.2 filter text into a `ScimFilter`, safely for hostile input. */
import { IdbridgeError, type Result } from '../../errors/idbridge-error.ts'
import type { ScimFilter } from './scim-filter-ast.ts'
import { tokenizeScimFilter } from './scim-filter-lexer.ts'
import { ScimFilterParser } from './scim-filter-parser.ts'
import { ScimSyntaxError } from './scim-syntax-error.ts'

/**
 * Limits for filter text from clients. Lexing and parsing are linear in the text and never
 * backtrack; these bounds also cap the size of the tree that later stages walk recursively.
 */
export const SCIM_FILTER_LIMITS = {
  /** In UTF-16 code units (JavaScript string length). */
  maxLength: 2000,
  maxDepth: 10,
  maxComparisons: 50,
} as const

/**
 * Parses a SCIM filter. Operators, keywords and `true`/`false`/`null` are case-insensitive;
 * attribute names keep the client's spelling for the consumer to compare case-insensitively.
 * Positions in error details are 0-based offsets into `text`.
 *
 * @returns the tree, or `IDB_ERR_SCIM_FILTER` with `data.scimType: 'invalidFilter'`.
 * @see https://www.rfc-editor.org/rfc/rfc7644#section-3.4.2.2
 * @example
 * const parsed = parseScimFilter('emails[type eq "work" and value co "@example.com"] or userName sw "j"')
 * if (!parsed.ok) return parsed
 * parsed.value.kind // 'or'
 */
export function parseScimFilter(text: string): Result<ScimFilter> {
  if (text.length > SCIM_FILTER_LIMITS.maxLength) {
    return invalidFilter(
      `the filter is ${text.length} characters long; at most ${SCIM_FILTER_LIMITS.maxLength} are allowed`,
    )
  }
  if (text.trim() === '') return invalidFilter('the filter is empty')
  try {
    const parser = new ScimFilterParser(tokenizeScimFilter(text), SCIM_FILTER_LIMITS)
    const filter = parser.parseFilter()
    parser.expectEnd()
    return { ok: true, value: filter }
  } catch (error) {
    if (error instanceof ScimSyntaxError) return invalidFilter(error.message)
    throw error
  }
}

function invalidFilter(detail: string): Result<never> {
  return { ok: false, error: new IdbridgeError('IDB_ERR_SCIM_FILTER', { detail, data: { scimType: 'invalidFilter' } }) }
}
