/** @module Test support: hostile values for form fields, JSON bodies, query strings and path segments. */
import type { FuzzRandom } from './fuzz-random.ts'

/**
 * Markup that must never come back raw in an HTML page. Every hostile string carries it, so one
 * check over each response finds an unescaped echo of any input.
 */
export const ECHO_MARKER = '<fz-echo x="1">'

const fixed = [
  '',
  ' ',
  '\u0000',
  'null',
  'undefined',
  '[object Object]',
  '__proto__',
  'constructor',
  "' OR '1'='1",
  '*)(uid=*',
  '../../etc/passwd',
  '%00',
  '%',
  '%E0%A4%A',
  '%ZZ',
  '\r\nSet-Cookie: x=1',
  '\u202e\u0644\u0627', // right-to-left override and Arabic
  '\ud800', // a lone surrogate: not encodable as UTF-8
  '\ud83d\ude00\u0301\u200d', // emoji, combining mark, zero-width joiner
  'ａｄｍｉｎ@ｃｏｎｔｏｓｏ.ｔｅｓｔ', // full-width
  'İı ß ﬁ', // case-mapping traps
  '1e309',
  '-0',
  '9'.repeat(400),
  '{"a":1}',
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  'javascript:alert(1)',
]

const alphabet = 'aZ09 -_.@+!"#$%&\'()*,/:;<=>?[\\]^`{|}~\t\n\u00e9\u4e2d\ud83d\ude00'

/** Plausible but wrong: these pass type checks and fail the rules behind them (policy, format). */
export const almostValid = ['a', 'password', 'Password1', '12345678', 'aaaaaaaaaaaa', 'ADA@CONTOSO.TEST', 'x@y', '+1', '0000000', 'unlock', 'email']

/** A string that is hostile in at least one way; most carry the echo marker. */
export function hostileString(rng: FuzzRandom): string {
  if (rng.chance(0.2)) return rng.pick(almostValid)
  const roll = rng.int(0, 9)
  let base: string
  if (roll < 5) base = rng.pick(fixed)
  else if (roll < 8) {
    base = Array.from({ length: rng.int(1, 60) }, () => {
      const chars = [...alphabet]
      return rng.pick(chars)
    }).join('')
  } else base = rng.pick(['x', '\u00e9', '\ud83d\ude00', 'A1!']).repeat(rng.pick([257, 1025, 5000, 20_000]))
  const at = rng.int(0, 2)
  return at === 0 ? `${ECHO_MARKER}${base}` : at === 1 ? `${base}${ECHO_MARKER}` : `${base.slice(0, 10)}${ECHO_MARKER}${base.slice(10)}`
}

/** Any JSON value, of any type, possibly nested. */
export function hostileJson(rng: FuzzRandom, depth = 0): unknown {
  switch (rng.int(0, depth > 3 ? 5 : 8)) {
    case 0:
      return null
    case 1:
      return rng.pick([0, -1, 1.5, 2 ** 53, -(2 ** 63), 1e308, Number.MIN_VALUE])
    case 2:
      return rng.chance(0.5)
    case 3:
    case 4:
    case 5:
      return hostileString(rng)
    case 6:
      return Array.from({ length: rng.int(0, 4) }, () => hostileJson(rng, depth + 1))
    default:
      return Object.fromEntries(
        Array.from({ length: rng.int(0, 4) }, () => [
          rng.pick(['__proto__', 'constructor', 'value', 'op', 'path', hostileString(rng).slice(0, 40)]),
          hostileJson(rng, depth + 1),
        ]),
      )
  }
}

/** A valid body with one field replaced, removed, or joined by a hostile one. */
export function mutateObject(rng: FuzzRandom, base: Record<string, unknown>): Record<string, unknown> {
  const copy: Record<string, unknown> = structuredClone(base)
  const keys = Object.keys(copy)
  const key = keys.length && rng.chance(0.8) ? rng.pick(keys) : hostileString(rng).slice(0, 30)
  const action = rng.int(0, 3)
  if (action === 0) delete copy[key]
  else if (action === 1 && Array.isArray(copy[key]) && (copy[key] as unknown[]).length) {
    const list = copy[key] as unknown[]
    list[0] = hostileJson(rng)
  } else if (typeof copy[key] === 'string' && rng.chance(0.6)) {
    // Same type, wrong content: this is what gets past the schema to the rules behind it.
    copy[key] = rng.chance(0.5) ? rng.pick(almostValid) : hostileString(rng)
  } else copy[key] = hostileJson(rng)
  return copy
}

/** Bodies that are broken below the JSON level: bytes, nesting, duplicates, size. */
export function rawBody(rng: FuzzRandom, valid: string): { body: string | Uint8Array; label: string } {
  switch (rng.int(0, 8)) {
    case 0:
      return { body: new Uint8Array([0x7b, 0x22, 0xff, 0xfe, 0xc3, 0x28, 0x22, 0x3a, 0x31, 0x7d]), label: 'invalid UTF-8' }
    case 1: {
      const depth = rng.pick([100, 1000, 9000])
      return { body: '{"a":'.repeat(depth) + '1' + '}'.repeat(depth), label: `objects nested ${depth} deep` }
    }
    case 2: {
      const depth = rng.pick([1000, 20_000])
      return { body: '['.repeat(depth) + ']'.repeat(depth), label: `arrays nested ${depth} deep` }
    }
    case 3:
      return { body: valid.replace(/^\{/, `{"userName":"dup@contoso.test","displayName":${JSON.stringify(ECHO_MARKER)},`), label: 'duplicated keys' }
    case 4:
      return { body: `{"pad":"${'x'.repeat(70 * 1024)}"}`, label: 'larger than http.maxBodyBytes' }
    case 5:
      return { body: valid.slice(0, rng.int(0, valid.length - 1)), label: 'truncated' }
    case 6:
      return { body: `\ufeff${valid}`, label: 'byte-order mark' }
    case 7:
      return { body: rng.pick(['', 'null', '[]', '"x"', '1', 'true', '{}']), label: 'another JSON type' }
    default:
      return { body: `${valid}${rng.pick([',', '}', ' garbage', '\u0000'])}`, label: 'trailing garbage' }
  }
}

/** The ways the systematic pass breaks one field: each top-level field of a valid body gets all of them. */
export const fieldVariants = ['absent', 'null', 'number', 'almost valid', 'hostile string', 'object', 'array'] as const

export function breakField(rng: FuzzRandom, base: Record<string, unknown>, key: string, variant: (typeof fieldVariants)[number]) {
  const copy: Record<string, unknown> = structuredClone(base)
  if (variant === 'absent') delete copy[key]
  else if (variant === 'null') copy[key] = null
  else if (variant === 'number') copy[key] = rng.pick([0, -1, 1e308, 2 ** 53 + 1])
  else if (variant === 'almost valid') copy[key] = rng.pick(almostValid)
  else if (variant === 'hostile string') copy[key] = hostileString(rng)
  else if (variant === 'object') copy[key] = { [hostileString(rng).slice(0, 20)]: hostileJson(rng) }
  else copy[key] = [hostileJson(rng), hostileJson(rng)]
  return copy
}
