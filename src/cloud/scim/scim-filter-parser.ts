/** @module Recursive-descent parser for RFC 7644 §3.4.2.2 filters with hard limits on size and depth. */
import type { ScimAttributePath, ScimCompareOperator, ScimCompareValue, ScimFilter } from './scim-filter-ast.ts'
import type { ScimToken } from './scim-filter-lexer.ts'
import { quoteFilterText, ScimSyntaxError } from './scim-syntax-error.ts'

/** Bounds that keep a hostile filter cheap: parsing is linear, these cap the tree it may build. */
export interface ScimFilterLimits {
  /** Maximum number of open `(` and `[` groups at once. */
  readonly maxDepth: number
  /** Maximum number of attribute expressions (`pr` included). */
  readonly maxComparisons: number
}

const OPERATORS: ReadonlySet<string> = new Set(['eq', 'ne', 'co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le', 'pr'])
const ATTRIBUTE_NAME = /^(?:[A-Za-z][A-Za-z0-9_-]*|\$ref)$/

/**
 * One parse over a token list. `parseFilter` reads `filter`, `parsePatchPath` reads RFC 7644
 * §3.5.2's `PATH`; callers then call `expectEnd`. Precedence: `not` > `and` > `or`.
 *
 * @internal
 */
export class ScimFilterParser {
  readonly #tokens: readonly ScimToken[]
  readonly #limits: ScimFilterLimits
  #index = 0
  #depth = 0
  #comparisons = 0

  constructor(tokens: readonly ScimToken[], limits: ScimFilterLimits) {
    if (tokens.at(-1)?.kind !== 'end') throw new Error('ScimFilterParser: the token list must end with an end token')
    this.#tokens = tokens
    this.#limits = limits
  }

  parseFilter(): ScimFilter {
    return this.#parseOr(false)
  }

  /** Reads `attrPath` or `valuePath [subAttr]`, the target of a PATCH operation. */
  parsePatchPath(): { path: ScimAttributePath; filter?: ScimFilter; subAttribute?: string } {
    const path = this.#parseAttributePath(this.#expectWord('an attribute path'), false)
    if (this.#peek().kind !== '[') return { path }
    if (path.subAttribute !== undefined) this.#fail(this.#peek(), 'a value filter cannot follow a sub-attribute')
    const filter = this.#parseGroup('[', ']', () => this.#parseOr(true))
    const next = this.#peek()
    if (next.kind !== 'word' || !next.text.startsWith('.')) return { path, filter }
    this.#index++
    const subAttribute = next.text.slice(1)
    if (!ATTRIBUTE_NAME.test(subAttribute)) {
      throw new ScimSyntaxError(`invalid sub-attribute ${quoteFilterText(next.text)} at position ${next.position}`)
    }
    return { path, filter, subAttribute }
  }

  expectEnd(expected = 'expected "and", "or" or the end of the filter'): void {
    const token = this.#peek()
    if (token.kind !== 'end') this.#fail(token, expected)
  }

  #peek(offset = 0): ScimToken {
    // The list always ends with an `end` token, and no rule reads past it.
    return this.#tokens[Math.min(this.#index + offset, this.#tokens.length - 1)]!
  }

  #fail(token: ScimToken, expected: string): never {
    if (token.kind === 'end')
      throw new ScimSyntaxError(`unexpected end of filter at position ${token.position}; ${expected}`)
    throw new ScimSyntaxError(
      `unexpected token ${quoteFilterText(token.text)} at position ${token.position}; ${expected}`,
    )
  }

  #isKeyword(token: ScimToken, keyword: string): boolean {
    return token.kind === 'word' && token.text.toLowerCase() === keyword
  }

  #parseOr(inValueFilter: boolean): ScimFilter {
    let left = this.#parseAnd(inValueFilter)
    while (this.#isKeyword(this.#peek(), 'or')) {
      this.#index++
      left = { kind: 'or', left, right: this.#parseAnd(inValueFilter) }
    }
    return left
  }

  #parseAnd(inValueFilter: boolean): ScimFilter {
    let left = this.#parseUnary(inValueFilter)
    while (this.#isKeyword(this.#peek(), 'and')) {
      this.#index++
      left = { kind: 'and', left, right: this.#parseUnary(inValueFilter) }
    }
    return left
  }

  #parseUnary(inValueFilter: boolean): ScimFilter {
    const token = this.#peek()
    if (token.kind === '(') return this.#parseGroup('(', ')', () => this.#parseOr(inValueFilter))
    if (token.kind !== 'word') this.#fail(token, 'expected "(", "not" or an attribute path')
    const next = this.#peek(1)
    if (this.#isKeyword(token, 'not') && !(next.kind === 'word' && OPERATORS.has(next.text.toLowerCase()))) {
      this.#index++
      if (next.kind !== '(') this.#fail(next, 'expected "(" after "not"')
      return { kind: 'not', filter: this.#parseGroup('(', ')', () => this.#parseOr(inValueFilter)) }
    }
    this.#index++
    const path = this.#parseAttributePath(token, inValueFilter)
    if (this.#peek().kind === '[') {
      if (inValueFilter) this.#fail(this.#peek(), 'value filters cannot be nested')
      if (path.subAttribute !== undefined) this.#fail(this.#peek(), 'a value filter cannot follow a sub-attribute')
      return { kind: 'valuePath', path, filter: this.#parseGroup('[', ']', () => this.#parseOr(true)) }
    }
    return this.#parseAttributeExpression(path)
  }

  #parseGroup(open: '(' | '[', close: ')' | ']', inner: () => ScimFilter): ScimFilter {
    const start = this.#peek()
    if (start.kind !== open) this.#fail(start, `expected "${open}"`)
    if (++this.#depth > this.#limits.maxDepth) {
      throw new ScimSyntaxError(`nesting deeper than ${this.#limits.maxDepth} levels at position ${start.position}`)
    }
    this.#index++
    const filter = inner()
    const end = this.#peek()
    if (end.kind !== close) this.#fail(end, `expected "and", "or" or "${close}"`)
    this.#index++
    this.#depth--
    return filter
  }

  #parseAttributeExpression(path: ScimAttributePath): ScimFilter {
    const token = this.#expectWord(`an operator after ${quoteFilterText(this.#tokens[this.#index - 1]!.text)}`)
    const operator = token.text.toLowerCase()
    if (!OPERATORS.has(operator)) {
      throw new ScimSyntaxError(`unknown operator ${quoteFilterText(token.text)} at position ${token.position}`)
    }
    if (++this.#comparisons > this.#limits.maxComparisons) {
      throw new ScimSyntaxError(
        `more than ${this.#limits.maxComparisons} comparisons; the one at position ${path.position} is over the limit`,
      )
    }
    if (operator === 'pr') return { kind: 'present', path }
    return { kind: 'compare', path, operator: operator as ScimCompareOperator, value: this.#parseValue(operator) }
  }

  #parseValue(operator: string): ScimCompareValue {
    const token = this.#peek()
    this.#index++
    if (token.kind === 'string' || token.kind === 'number') return token.value!
    const literal = token.kind === 'word' ? token.text.toLowerCase() : ''
    if (literal === 'true') return true
    if (literal === 'false') return false
    if (literal === 'null') return null
    return this.#fail(token, `expected a string, number, true, false or null after "${operator}"`)
  }

  #expectWord(expected: string): ScimToken {
    const token = this.#peek()
    if (token.kind !== 'word') this.#fail(token, `expected ${expected}`)
    this.#index++
    return token
  }

  #parseAttributePath(token: ScimToken, inValueFilter: boolean): ScimAttributePath {
    const colon = token.text.lastIndexOf(':')
    const schema = colon === -1 ? undefined : token.text.slice(0, colon)
    const names = token.text.slice(colon + 1).split('.')
    const [attribute = '', subAttribute, ...rest] = names
    const invalid = (why: string): never => {
      throw new ScimSyntaxError(
        `invalid attribute path ${quoteFilterText(token.text)} at position ${token.position}${why}`,
      )
    }
    if (schema !== undefined && !/^urn:[A-Za-z0-9][A-Za-z0-9.:_-]*$/i.test(schema)) invalid('; a schema must be a URN')
    if (rest.length > 0 || !names.every((name) => ATTRIBUTE_NAME.test(name))) invalid('')
    if (inValueFilter && (schema !== undefined || subAttribute !== undefined)) {
      invalid('; inside [...] use a plain sub-attribute name')
    }
    return {
      ...(schema === undefined ? {} : { schema }),
      attribute,
      ...(subAttribute === undefined ? {} : { subAttribute }),
      position: token.position,
    }
  }
}
