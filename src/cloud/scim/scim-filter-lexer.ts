/** @module Splits SCIM filter text into tokens in one linear pass. */
import { quoteFilterText, ScimSyntaxError } from './scim-syntax-error.ts'

/** Token kinds; `word` covers attribute paths, operators, `and`/`or`/`not` and `true`/`false`/`null`. */
export type ScimTokenKind = '(' | ')' | '[' | ']' | 'string' | 'number' | 'word' | 'end'

/** One token; `text` is the raw source and `value` the decoded string or number. */
export interface ScimToken {
  readonly kind: ScimTokenKind
  readonly text: string
  readonly value?: string | number
  readonly position: number
}

const PUNCTUATION = new Set(['(', ')', '[', ']'])
// URNs (`urn:ietf:params:scim:schemas:core:2.0:User:name.givenName`) and `$ref` are single words.
const WORD_CHAR = /[A-Za-z0-9_:.$-]/
const WORD_START = /[A-Za-z_$.]/
const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y
const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  '"': '"',
  '\\': '\\',
  '/': '/',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
}

/** Names a character for an error message without echoing invisible or control characters. */
export function describeChar(char: string): string {
  const code = char.codePointAt(0) ?? 0
  if (code > 0x20 && code < 0x7f) return JSON.stringify(char)
  return `U+${code.toString(16).toUpperCase().padStart(4, '0')}`
}

function isControl(code: number): boolean {
  return code < 0x20 || (code >= 0x7f && code <= 0x9f)
}

/**
 * Tokenizes filter text. Only the space separates tokens (RFC 7644's `SP`); every control
 * character is rejected, inside strings too, where JSON would need it escaped anyway.
 *
 * @throws {ScimSyntaxError} on any character or literal that cannot start a token; caught by the parsers.
 * @internal
 */
export function tokenizeScimFilter(text: string): ScimToken[] {
  const tokens: ScimToken[] = []
  let i = 0
  while (i < text.length) {
    const char = text[i]!
    const code = char.charCodeAt(0)
    if (char === ' ') {
      i++
    } else if (isControl(code)) {
      throw new ScimSyntaxError(`control character ${describeChar(char)} at position ${i} is not allowed`)
    } else if (PUNCTUATION.has(char)) {
      tokens.push({ kind: char as ScimTokenKind, text: char, position: i })
      i++
    } else if (char === '"') {
      i = readString(text, i, tokens)
    } else if (char === '-' || (code >= 0x30 && code <= 0x39)) {
      i = readNumber(text, i, tokens)
    } else if (WORD_START.test(char)) {
      const start = i
      while (i < text.length && WORD_CHAR.test(text[i]!)) i++
      tokens.push({ kind: 'word', text: text.slice(start, i), position: start })
    } else {
      throw new ScimSyntaxError(`unexpected character ${describeChar(char)} at position ${i}`)
    }
  }
  tokens.push({ kind: 'end', text: '', position: text.length })
  return tokens
}

function readString(text: string, start: number, tokens: ScimToken[]): number {
  const parts: string[] = []
  let i = start + 1
  while (i < text.length) {
    const char = text[i]!
    if (char === '"') {
      tokens.push({ kind: 'string', text: text.slice(start, i + 1), value: parts.join(''), position: start })
      return i + 1
    }
    if (isControl(char.charCodeAt(0))) {
      throw new ScimSyntaxError(`control character ${describeChar(char)} at position ${i} is not allowed`)
    }
    if (char !== '\\') {
      parts.push(char)
      i++
      continue
    }
    const escaped = text[i + 1]
    if (escaped === undefined) break
    const simple = SIMPLE_ESCAPES[escaped]
    if (simple !== undefined) {
      parts.push(simple)
      i += 2
    } else if (escaped === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) {
      const decoded = String.fromCharCode(Number.parseInt(text.slice(i + 2, i + 6), 16))
      // PostgreSQL text cannot hold NUL, and no directory value legitimately contains it.
      if (decoded === '\0') throw new ScimSyntaxError(`the escape \\u0000 at position ${i} is not allowed`)
      parts.push(decoded)
      i += 6
    } else {
      throw new ScimSyntaxError(`invalid escape ${quoteFilterText(text.slice(i, i + 2))} at position ${i}`)
    }
  }
  throw new ScimSyntaxError(`unterminated string starting at position ${start}`)
}

function readNumber(text: string, start: number, tokens: ScimToken[]): number {
  NUMBER.lastIndex = start
  const match = NUMBER.exec(text)
  let end = start + (match?.[0].length ?? 0)
  const next = text[end]
  if (!match || (next !== undefined && WORD_CHAR.test(next))) {
    while (end < text.length && WORD_CHAR.test(text[end]!)) end++
    throw new ScimSyntaxError(
      `invalid number ${quoteFilterText(text.slice(start, Math.max(end, start + 1)))} at position ${start}`,
    )
  }
  const value = Number(match[0])
  if (!Number.isFinite(value)) {
    throw new ScimSyntaxError(`number ${quoteFilterText(match[0])} at position ${start} is out of range`)
  }
  tokens.push({ kind: 'number', text: match[0], value, position: start })
  return end
}
