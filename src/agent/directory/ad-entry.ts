/** @module A case-insensitive view of an ldapts entry, plus AD value encodings (GUIDs, FILETIME, filters). */
import type { Entry } from 'ldapts'

// ldapts decodes a value as a Buffer only when the attribute name matches exactly, and AD's
// returned spelling varies (`mS-DS-ConsistencyGuid`), so every spelling we have seen is listed.
export const binaryAttributes = [
  'objectGUID',
  'objectGuid',
  'objectSid',
  'mS-DS-ConsistencyGuid',
  'ms-DS-ConsistencyGuid',
  'msDS-ConsistencyGuid',
]

/** Lower-cased attribute names, kept: the same twenty names are lowered for every entry read. */
const lowerNames = new Map<string, string>()

function lower(name: string): string {
  let lowered = lowerNames.get(name)
  if (lowered === undefined) {
    lowered = name.toLowerCase()
    // Bounded, whatever names a DC sends.
    if (lowerNames.size < 1000) lowerNames.set(name, lowered)
  }
  return lowered
}

/** Attribute values keyed by lower-case name; absent attributes read as an empty list. */
export class AdEntry {
  readonly dn: string
  readonly #values = new Map<string, Array<string | Buffer>>()

  constructor(entry: Entry) {
    this.dn = entry.dn
    // for…in rather than Object.entries: an import builds one of these per user, and the
    // [name, value] pairs were 6% of all a full import allocates.
    for (const name in entry) {
      if (name === 'dn') continue
      const value = entry[name]
      if (value === undefined) continue
      const list = Array.isArray(value) ? value : [value]
      if (list.length > 0) this.#values.set(lower(name), list)
    }
  }

  all(name: string): Array<string | Buffer> {
    return this.#values.get(lower(name)) ?? []
  }

  has(name: string): boolean {
    return this.all(name).length > 0
  }

  text(name: string): string | null {
    const first = this.all(name)[0]
    if (first === undefined) return null
    return Buffer.isBuffer(first) ? first.toString('utf8') : first
  }

  texts(name: string): string[] {
    return this.all(name).map((v) => (Buffer.isBuffer(v) ? v.toString('utf8') : v))
  }

  buffer(name: string): Buffer | null {
    const first = this.all(name)[0]
    if (first === undefined) return null
    return Buffer.isBuffer(first) ? first : Buffer.from(first, 'utf8')
  }
}

/** Windows FILETIME (100 ns ticks since 1601) between 1601 and the Unix epoch. */
const epochOffsetTicks = 116_444_736_000_000_000n

/** FILETIME as a decimal string to epoch ms; 0 stays 0 ("must change at next logon"). */
export function fileTimeToEpochMs(value: string): number {
  if (!/^-?\d+$/.test(value)) throw new Error(`not a FILETIME integer: ${JSON.stringify(value)}`)
  const ticks = BigInt(value)
  if (ticks === 0n) return 0
  return Number((ticks - epochOffsetTicks) / 10_000n)
}

/** Escapes a string for an LDAP filter value (RFC 4515). */
export function escapeFilterText(text: string): string {
  return text.replace(/[\\*()\0]/g, (c) => `\\${c.charCodeAt(0).toString(16).padStart(2, '0')}`)
}

/** A DN in one spelling for comparisons: AD DNs compare case-insensitively and may carry spaces after commas. */
export function normalizeDn(dn: string): string {
  return dn.replace(/,\s+/g, ',').toLowerCase()
}

/** True when `dn` is `container` or below it. */
export function isDnUnder(dn: string, container: string): boolean {
  const child = normalizeDn(dn)
  const parent = normalizeDn(container)
  return child === parent || child.endsWith(`,${parent}`)
}
