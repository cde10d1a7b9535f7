/** @module OBJECT IDENTIFIER contents octets (X.690 §8.19), the raw material of DRS prefix tables. */
import { DrsError } from './drs-error.ts'

const MAX_ARC = Number.MAX_SAFE_INTEGER

function encodeArc(arc: number, out: number[]): void {
  const bytes = [arc % 128]
  for (let v = Math.floor(arc / 128); v > 0; v = Math.floor(v / 128)) bytes.unshift((v % 128) | 0x80)
  out.push(...bytes)
}

/** The BER contents octets of an OBJECT IDENTIFIER (no tag, no length). */
export function oidToBer(oid: string): Buffer {
  const arcs = oid.split('.').map((part) => (/^(0|[1-9][0-9]*)$/.test(part) ? Number(part) : Number.NaN))
  const [first, second] = arcs
  if (
    arcs.length < 2 ||
    arcs.some((a) => !Number.isSafeInteger(a)) ||
    first === undefined ||
    second === undefined ||
    first > 2 ||
    (first < 2 && second > 39)
  ) {
    throw new DrsError('DRS_INVALID_REQUEST', `not an OID: ${JSON.stringify(oid)}`)
  }
  const out: number[] = []
  encodeArc(first * 40 + second, out)
  for (const arc of arcs.slice(2)) encodeArc(arc, out)
  return Buffer.from(out)
}

/** The dotted form of BER contents octets, or undefined when they are not a well-formed OID. */
export function berToOid(ber: Uint8Array): string | undefined {
  const arcs: number[] = []
  let value = 0
  let started = false
  for (const byte of ber) {
    if (!started && byte === 0x80) return undefined // a leading 0x80 is not minimal
    started = true
    value = value * 128 + (byte & 0x7f)
    if (value > MAX_ARC) return undefined
    if (byte & 0x80) continue
    arcs.push(value)
    value = 0
    started = false
  }
  if (started || arcs.length === 0) return undefined
  const head = arcs[0]!
  const first = head < 40 ? 0 : head < 80 ? 1 : 2
  return [first, head - first * 40, ...arcs.slice(1)].join('.')
}
