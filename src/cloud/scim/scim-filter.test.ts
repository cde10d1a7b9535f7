/** @module Tests for scim-filter.ts. */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { parseScimFilter } from './scim-filter.ts'
import type { ScimFilter } from './scim-filter-ast.ts'

function parse(text: string): ScimFilter {
  const result = parseScimFilter(text)
  assert.ok(result.ok, result.ok ? '' : result.error.message)
  return result.value
}

function rejects(text: string, detail: string | RegExp): void {
  const result = parseScimFilter(text)
  assert.equal(result.ok, false, `${JSON.stringify(text.slice(0, 80))} should be rejected`)
  if (result.ok) return
  assert.equal(result.error.code, 'IDB_ERR_SCIM_FILTER')
  assert.deepEqual(result.error.data, { scimType: 'invalidFilter' })
  if (typeof detail === 'string') assert.equal(result.error.detail, detail)
  else assert.match(result.error.detail ?? '', detail)
}

/** Renders the tree with explicit parentheses so precedence is visible in assertions. */
function show(filter: ScimFilter): string {
  switch (filter.kind) {
    case 'and':
    case 'or':
      return `(${show(filter.left)} ${filter.kind} ${show(filter.right)})`
    case 'not':
      return `not(${show(filter.filter)})`
    case 'valuePath':
      return `${filter.path.attribute}[${show(filter.filter)}]`
    case 'present':
      return `${filter.path.attribute} pr`
    case 'compare':
      return `${filter.path.attribute}${filter.path.subAttribute ? `.${filter.path.subAttribute}` : ''} ${filter.operator} ${JSON.stringify(filter.value)}`
  }
}

describe('parseScimFilter: accepted filters', () => {
  test('an attribute expression keeps the name as written and lower-cases the operator', () => {
    assert.deepEqual(parse('userName EQ "bjensen"'), {
      kind: 'compare',
      path: { attribute: 'userName', position: 0 },
      operator: 'eq',
      value: 'bjensen',
    })
  })

  test('every operator, and pr without a value', () => {
    for (const op of ['eq', 'ne', 'co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le']) {
      assert.equal(show(parse(`title ${op.toUpperCase()} "x"`)), `title ${op} "x"`)
    }
    assert.equal(show(parse('title PR')), 'title pr')
  })

  test('values: JSON strings with escapes, numbers, true, false, null', () => {
    const values = ['"a\\"b\\\\c\\/\\n\\t\\u00e9"', '-1.5e3', '0', '42', 'TRUE', 'false', 'Null'].map((v) => {
      const f = parse(`x eq ${v}`)
      assert.equal(f.kind, 'compare')
      return f.kind === 'compare' ? f.value : undefined
    })
    assert.deepEqual(values, ['a"b\\c/\n\té', -1500, 0, 42, true, false, null])
  })

  test('precedence is not > and > or, and parentheses override it', () => {
    assert.equal(show(parse('a pr or b pr and c pr')), '(a pr or (b pr and c pr))')
    assert.equal(show(parse('a pr and b pr or c pr')), '((a pr and b pr) or c pr)')
    assert.equal(show(parse('(a pr or b pr) and c pr')), '((a pr or b pr) and c pr)')
    assert.equal(show(parse('not (a pr) and b pr')), '(not(a pr) and b pr)')
    assert.equal(show(parse('a pr AND b pr Or NOT(c pr)')), '((a pr and b pr) or not(c pr))')
  })

  test('value-path filters and sub-attributes', () => {
    assert.equal(
      show(parse('emails[type eq "work" and value co "@example.com"] or ims[type eq "xmpp"]')),
      '(emails[(type eq "work" and value co "@example.com")] or ims[type eq "xmpp"])',
    )
    assert.equal(show(parse('name.familyName co "O\'Malley"')), 'name.familyName co "O\'Malley"')
    assert.equal(
      show(parse('members[value eq "2819c223"] and members.$ref pr')),
      '(members[value eq "2819c223"] and members pr)',
    )
  })

  test('a schema URN prefix is split off', () => {
    const f = parse('urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value eq "26118915"')
    assert.equal(f.kind, 'compare')
    if (f.kind !== 'compare') return
    assert.deepEqual(f.path, {
      schema: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User',
      attribute: 'manager',
      subAttribute: 'value',
      position: 0,
    })
  })

  test('keywords only count where the grammar expects them', () => {
    assert.equal(show(parse('not eq "x" and or pr')), '(not eq "x" and or pr)')
  })

  test('the limits themselves are accepted', () => {
    const deep = `${'('.repeat(10)}a pr${')'.repeat(10)}`
    assert.equal(show(parse(deep)), 'a pr')
    parse(Array.from({ length: 50 }, (_, i) => `a${i} pr`).join(' or '))
    assert.equal(`userName eq "${'x'.repeat(1986)}"`.length, 2000)
    parse(`userName eq "${'x'.repeat(1986)}"`)
  })
})

describe('parseScimFilter: rejected filters', () => {
  test('empty, blank and too long', () => {
    rejects('', 'the filter is empty')
    rejects('   ', 'the filter is empty')
    rejects(`userName eq "${'x'.repeat(1987)}"`, 'the filter is 2001 characters long; at most 2000 are allowed')
  })

  test('syntax errors name the token and its 0-based position', () => {
    rejects('userName eq "x" )', 'unexpected token ")" at position 16; expected "and", "or" or the end of the filter')
    rejects('(userName eq "x"', 'unexpected end of filter at position 16; expected "and", "or" or ")"')
    rejects(
      'userName eq',
      'unexpected end of filter at position 11; expected a string, number, true, false or null after "eq"',
    )
    rejects('userName eq bjensen', /^unexpected token "bjensen" at position 12; expected a string/)
    rejects('userName eqq "x"', 'unknown operator "eqq" at position 9')
    rejects('userName', 'unexpected end of filter at position 8; expected an operator after "userName"')
    rejects('"x" eq userName', `unexpected token '"x"' at position 0; expected "(", "not" or an attribute path`)
    rejects('a pr and', 'unexpected end of filter at position 8; expected "(", "not" or an attribute path')
    rejects('not a pr', 'unexpected token "a" at position 4; expected "(" after "not"')
    rejects('a pr b pr', /^unexpected token "b" at position 5/)
    rejects('emails[type eq "work"', 'unexpected end of filter at position 21; expected "and", "or" or "]"')
    rejects('emails[type eq "work")', /^unexpected token "\)" at position 21/)
    rejects('()', /^unexpected token "\)" at position 1/)
  })

  test('bad literals', () => {
    rejects('a eq "abc', 'unterminated string starting at position 5')
    rejects('a eq "abc\\"', 'unterminated string starting at position 5')
    rejects('a eq "\\x"', 'invalid escape "\\x" at position 6')
    rejects('a eq "\\u12"', 'invalid escape "\\u" at position 6')
    rejects('a eq "\\u0000"', 'the escape \\u0000 at position 6 is not allowed')
    rejects('a eq 01', 'invalid number "01" at position 5')
    rejects('a eq 1.', 'invalid number "1." at position 5')
    rejects('a eq 12abc', 'invalid number "12abc" at position 5')
    rejects('a eq -', 'invalid number "-" at position 5')
    rejects('a eq 1e999', 'number "1e999" at position 5 is out of range')
  })

  test('control and unexpected characters', () => {
    rejects('a eq "x\ty"', 'control character U+0009 at position 7 is not allowed')
    rejects('a pr\nor b pr', 'control character U+000A at position 4 is not allowed')
    rejects('a eq "x\u0000"', 'control character U+0000 at position 7 is not allowed')
    rejects('a pr\u0085', 'control character U+0085 at position 4 is not allowed')
    rejects("a eq 'x'", 'unexpected character "\'" at position 5')
    rejects('a eq "x" ; DROP TABLE users', 'unexpected character ";" at position 9')
    rejects('a\u00a0pr', 'unexpected character U+00A0 at position 1')
  })

  test('invalid attribute paths', () => {
    rejects('name.givenName.x eq "a"', 'invalid attribute path "name.givenName.x" at position 0')
    rejects('_x pr', 'invalid attribute path "_x" at position 0')
    rejects('a..b pr', 'invalid attribute path "a..b" at position 0')
    rejects('foo:bar pr', 'invalid attribute path "foo:bar" at position 0; a schema must be a URN')
    rejects(
      'emails[value.x eq "a"]',
      'invalid attribute path "value.x" at position 7; inside [...] use a plain sub-attribute name',
    )
    rejects('emails[ims[type pr]]', 'unexpected token "[" at position 10; value filters cannot be nested')
    rejects('name.givenName[x pr]', 'unexpected token "[" at position 14; a value filter cannot follow a sub-attribute')
    rejects('emails[type eq "work"].value eq "x"', /^unexpected token ".value" at position 22/)
  })

  test('nesting deeper than 10 is rejected at the group that crosses the limit', () => {
    rejects(`${'('.repeat(11)}a pr${')'.repeat(11)}`, 'nesting deeper than 10 levels at position 10')
    rejects(`${'not ('.repeat(11)}a pr${')'.repeat(11)}`, 'nesting deeper than 10 levels at position 54')
    rejects(`${'('.repeat(9)}x[${'('.repeat(1)}a pr)]${')'.repeat(9)}`, 'nesting deeper than 10 levels at position 11')
  })

  test('more than 50 comparisons is rejected', () => {
    const filter = Array.from({ length: 51 }, (_, i) => `a${i} pr`).join(' and ')
    rejects(filter, `more than 50 comparisons; the one at position ${filter.indexOf('a50')} is over the limit`)
  })
})
