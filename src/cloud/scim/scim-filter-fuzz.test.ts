/** @module Fuzz tests: parseScimFilter returns a Result quickly for any input. */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { IdbridgeError } from '../../errors/idbridge-error.ts'
import { parseScimFilter } from './scim-filter.ts'
import type { ScimFilter } from './scim-filter-ast.ts'
import { matchesScimFilter } from './scim-filter-match.ts'
import { compileScimFilter } from './scim-filter-sql.ts'

// Seeded, so a failure reproduces; override with SCIM_FUZZ_SEED to explore.
const seed = Number(process.env.SCIM_FUZZ_SEED ?? 20240611)
const PER_CALL_BUDGET_MS = 100

function prng(start: number): () => number {
  let state = start >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const random = prng(seed)
const int = (n: number): number => Math.floor(random() * n)
const pick = <T>(items: readonly T[]): T => items[int(items.length)]!

const PIECES = [
  '(',
  ')',
  '[',
  ']',
  '"',
  '\\',
  ' ',
  ' ',
  'and',
  'or',
  'not',
  'eq',
  'ne',
  'co',
  'pr',
  'gt',
  'true',
  'null',
  '1',
  '-',
  '.',
  '1e5',
  'a',
  'userName',
  'emails',
  'value',
  'urn:ietf:params:scim:schemas:core:2.0:User:',
  ':',
  '\\u',
  '\\u00e9',
  '\t',
  '\u0000',
  'é',
  '💥',
  '\ud800',
  '%',
  '_',
  "'",
  ';',
  '--',
  '$ref',
  'NOT(',
  '"x"',
]
const SEEDS = [
  'userName eq "bjensen"',
  'emails[type eq "work" and value co "@example.com"] or not (active eq false)',
  'urn:ietf:params:scim:schemas:core:2.0:User:name.givenName sw "B" and meta.lastModified gt "2011-05-13T04:42:34Z"',
  '((a pr) or (b ne -1.5e3)) and not (c eq null)',
  'members[value eq "2819c223-7f76-453a-919d-413861904646"]',
]

function randomText(): string {
  const parts: string[] = []
  const target = int(4) === 0 ? int(2100) : int(80)
  while (parts.join('').length < target) parts.push(pick(PIECES))
  return parts.join('').slice(0, target)
}

function mutate(text: string): string {
  let out = text
  for (let n = 1 + int(4); n > 0; n--) {
    const at = int(out.length + 1)
    const end = Math.min(out.length, at + int(6))
    switch (int(4)) {
      case 0:
        out = out.slice(0, at) + out.slice(end)
        break
      case 1:
        out = out.slice(0, at) + pick(PIECES) + out.slice(at)
        break
      case 2:
        out = out.slice(0, at) + out.slice(at, end).repeat(1 + int(40)) + out.slice(end)
        break
      default:
        out = out.slice(0, at) + out.slice(end) + out.slice(at, end)
    }
  }
  return out
}

/** Builds a random well-formed filter within the limits, printed with explicit parentheses. */
function generate(depth: number, inValue: boolean): string {
  const attr = pick(
    inValue ? ['type', 'value', 'primary'] : ['userName', 'name.givenName', 'active', 'meta.lastModified'],
  )
  const roll = int(depth <= 0 ? 3 : 7)
  if (roll === 0) return `${attr} pr`
  if (roll <= 2) {
    const value = pick(['"x"', '"a \\" b"', '42', '-0.5', 'true', 'false', 'null', '"\\u00e9%_"'])
    return `${attr} ${pick(['eq', 'NE', 'co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le'])} ${value}`
  }
  if (roll === 3) return `not (${generate(depth - 1, inValue)})`
  if (roll === 4 && !inValue) return `emails[${generate(depth - 1, true)}]`
  return `(${generate(depth - 1, inValue)} ${pick(['and', 'OR'])} ${generate(depth - 1, inValue)})`
}

/** Prints a tree back to canonical filter text. */
function print(filter: ScimFilter): string {
  switch (filter.kind) {
    case 'and':
    case 'or':
      return `(${print(filter.left)} ${filter.kind} ${print(filter.right)})`
    case 'not':
      return `not (${print(filter.filter)})`
    case 'valuePath':
      return `${filter.path.attribute}[${print(filter.filter)}]`
    case 'present':
      return `${filter.path.attribute}${filter.path.subAttribute ? `.${filter.path.subAttribute}` : ''} pr`
    case 'compare':
      return `${filter.path.attribute}${filter.path.subAttribute ? `.${filter.path.subAttribute}` : ''} ${filter.operator} ${JSON.stringify(filter.value)}`
  }
}

const attributes = {
  username: { column: 'user_name', type: 'string' },
  active: { column: 'active', type: 'boolean' },
} as const

/** The contract for any input: a Result, quickly, with a safe detail; never a throw. */
function checkContract(text: string): void {
  const started = performance.now()
  const result = parseScimFilter(text)
  const elapsed = performance.now() - started
  const label = `input ${JSON.stringify(text.slice(0, 120))} (seed ${seed})`
  assert.ok(elapsed < PER_CALL_BUDGET_MS, `${label} took ${elapsed.toFixed(1)} ms`)
  assert.equal(typeof result.ok, 'boolean', label)
  if (result.ok) {
    // Whatever parses must also be safe for the later stages.
    compileScimFilter(result.value, attributes)
    matchesScimFilter(result.value, { userName: 'x', emails: [{ type: 'work', value: 'x' }] })
    return
  }
  assert.ok(IdbridgeError.is(result.error), label)
  assert.equal(result.error.code, 'IDB_ERR_SCIM_FILTER', label)
  assert.deepEqual(result.error.data, { scimType: 'invalidFilter' }, label)
  const detail = result.error.detail ?? ''
  assert.ok(detail.length > 0 && detail.length < 200, `${label}: detail length ${detail.length}`)
  // eslint-disable-next-line no-control-regex -- asserting their absence
  assert.doesNotMatch(detail, /[\u0000-\u001f\u007f-\u009f]/, label)
}

describe(`parseScimFilter fuzz (seed ${seed})`, () => {
  test('random token soup always yields a Result', () => {
    for (let i = 0; i < 3000; i++) checkContract(randomText())
  })

  test('mutated valid filters always yield a Result', () => {
    for (let i = 0; i < 3000; i++) checkContract(mutate(pick(SEEDS)))
  })

  test('pathological shapes are rejected quickly, not by a stack overflow', () => {
    const shapes = [
      '('.repeat(2000),
      `${'('.repeat(1000)}a pr${')'.repeat(1000)}`,
      'not ('.repeat(400),
      'a['.repeat(1000),
      '"'.padEnd(2000, '\\'),
      `a eq "${'\\u'.repeat(999)}`,
      Array.from({ length: 400 }, () => 'a pr').join(' or '),
      'a pr or '.repeat(250),
      '1'.repeat(2000),
      `a eq ${'9'.repeat(1990)}`,
      'urn:'.repeat(500),
      ')'.repeat(2000),
      ' '.repeat(2000),
      'x'.repeat(100_000),
    ]
    for (const shape of shapes) {
      checkContract(shape)
      assert.equal(parseScimFilter(shape).ok, false, JSON.stringify(shape.slice(0, 40)))
    }
  })

  test('generated well-formed filters parse, and printing then parsing again is stable', () => {
    for (let i = 0; i < 1500; i++) {
      const text = generate(3, false)
      const first = parseScimFilter(text)
      assert.ok(first.ok, `${text}: ${first.ok ? '' : first.error.detail}`)
      const printed = print(first.value)
      const second = parseScimFilter(printed)
      assert.ok(second.ok, printed)
      assert.equal(print(second.value), printed)
      checkContract(text)
    }
  })

  test('parse time grows linearly: the longest accepted input stays far under budget', () => {
    const text = Array.from({ length: 50 }, (_, i) => `emails[value co "${'\\"'.repeat(7)}${i}"]`).join(' or ')
    assert.ok(text.length <= 2000, String(text.length))
    const started = performance.now()
    for (let i = 0; i < 200; i++) assert.ok(parseScimFilter(text).ok)
    assert.ok(performance.now() - started < 2000, 'parsing 200 large filters took over 2 s')
  })
})
