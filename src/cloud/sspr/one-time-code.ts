/** @module One-time codes sent by email or SMS during password reset: only a keyed digest is stored. */
import { createHmac, randomBytes, randomInt, timingSafeEqual } from 'node:crypto'

const DIGITS = 8
const DEFAULT_TTL_MS = 10 * 60 * 1000

/**
 * What the flow stores instead of the code. The per-flow salt keys the HMAC, so equal codes in two
 * flows give unrelated digests and a digest cannot be looked up in a precomputed table.
 */
export interface OneTimeCodeRecord {
  /** Hex HMAC-SHA256 of the code, keyed with `salt`. */
  readonly digest: string
  /** Hex, 16 random bytes, fresh for each code. */
  readonly salt: string
  /** Epoch milliseconds after which the code no longer works. */
  readonly expiresAt: number
}

function digestOf(salt: string, code: string): Buffer {
  return createHmac('sha256', Buffer.from(salt, 'hex')).update(code).digest()
}

/** A fresh 8-digit code: send `code` to the user, keep only `record`. */
export function issueOneTimeCode(now: number, ttlMs = DEFAULT_TTL_MS): { code: string; record: OneTimeCodeRecord } {
  const code = String(randomInt(0, 10 ** DIGITS)).padStart(DIGITS, '0')
  const salt = randomBytes(16).toString('hex')
  return { code, record: { digest: digestOf(salt, code).toString('hex'), salt, expiresAt: now + ttlMs } }
}

/** Whitespace is ignored because people copy codes with spaces or type them in groups. */
export function checkOneTimeCode(record: OneTimeCodeRecord, input: string, now: number): 'ok' | 'expired' | 'wrong' {
  if (now >= record.expiresAt) return 'expired'
  const expected = Buffer.from(record.digest, 'hex')
  const given = digestOf(record.salt, input.replace(/\s/g, ''))
  return expected.length === given.length && timingSafeEqual(expected, given) ? 'ok' : 'wrong'
}
