/** @module RFC 6238 time-based one-time passwords (HMAC-SHA1, 30 s steps), as authenticator apps expect. */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto'

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'
const STEP_SECONDS = 30

/** RFC 4648 base32 without padding: the form authenticator apps read from otpauth URIs. */
export function base32Encode(bytes: Uint8Array): string {
  let out = ''
  let buffer = 0
  let bits = 0
  for (const byte of bytes) {
    buffer = (buffer << 8) | byte
    bits += 8
    while (bits >= 5) {
      out += BASE32[(buffer >>> (bits - 5)) & 31]
      bits -= 5
    }
  }
  if (bits > 0) out += BASE32[(buffer << (5 - bits)) & 31]
  return out
}

/** Accepts lower case, spaces and padding, since people copy secrets by hand; throws on other characters. */
export function base32Decode(text: string): Buffer {
  const clean = text.replace(/[\s=]/g, '').toUpperCase()
  const out: number[] = []
  let buffer = 0
  let bits = 0
  for (const char of clean) {
    const value = BASE32.indexOf(char)
    if (value < 0) throw new TypeError('base32: invalid character')
    buffer = ((buffer << 5) | value) & 0xffff
    bits += 5
    if (bits >= 8) {
      out.push((buffer >>> (bits - 8)) & 0xff)
      bits -= 8
    }
  }
  return Buffer.from(out)
}

/** 20 random bytes (160 bits, the HMAC-SHA1 block size RFC 4226 recommends), base32 encoded. */
export function generateTotpSecret(): string {
  return base32Encode(randomBytes(20))
}

/** The `otpauth://` URI that authenticator apps scan as a QR code. */
export function totpUri(options: { issuer: string; account: string; secret: string }): string {
  const label = `${encodeURIComponent(options.issuer)}:${encodeURIComponent(options.account)}`
  const query = new URLSearchParams({ secret: options.secret, issuer: options.issuer })
  return `otpauth://totp/${label}?${query.toString().replace(/\+/g, '%20')}`
}

/** The 30-second step that epoch milliseconds fall in. */
export function totpStep(nowMs: number): number {
  return Math.floor(nowMs / 1000 / STEP_SECONDS)
}

/** The HOTP value (RFC 4226) for one counter: used with the step number as the counter. */
export function hotp(secret: Uint8Array, counter: number, digits = 6): string {
  const message = Buffer.alloc(8)
  message.writeBigUInt64BE(BigInt(counter))
  const mac = createHmac('sha1', secret).update(message).digest()
  const offset = mac[mac.length - 1]! & 0x0f
  const binary = mac.readUInt32BE(offset) & 0x7fffffff
  return String(binary % 10 ** digits).padStart(digits, '0')
}

export function totpCode(secretBase32: string, nowMs: number, digits = 6): string {
  return hotp(base32Decode(secretBase32), totpStep(nowMs), digits)
}

/** How a TOTP check came out. `step` is what the caller stores as `lastAcceptedStep`. */
export type TotpVerification = { ok: true; step: number } | { ok: false; reason: 'invalid' | 'replayed' }

/** Options for {@link verifyTotp}. */
export interface TotpVerifyOptions {
  /** The step of the last code this user got accepted: it and older steps are refused as replays. */
  readonly lastAcceptedStep?: number
  /** Steps accepted either side of now, for clock drift and typing time. */
  readonly window?: number
  readonly digits?: number
}

/**
 * Checks a code against the steps around `nowMs`. The caller must persist the returned step, because
 * a code stays valid for up to (2·window+1)·30 s and must work only once.
 */
export function verifyTotp(
  secretBase32: string,
  code: string,
  nowMs: number,
  options: TotpVerifyOptions = {},
): TotpVerification {
  const { lastAcceptedStep, window = 1, digits = 6 } = options
  const input = code.replace(/\s/g, '')
  if (input.length !== digits || !/^\d+$/.test(input)) return { ok: false, reason: 'invalid' }
  const secret = base32Decode(secretBase32)
  const given = Buffer.from(input)
  const current = totpStep(nowMs)
  let replayed = false
  // Every candidate is computed and compared, so timing does not reveal which step matched.
  let accepted: number | undefined
  for (let step = current - window; step <= current + window; step++) {
    if (step < 0) continue
    if (!timingSafeEqual(Buffer.from(hotp(secret, step, digits)), given)) continue
    if (lastAcceptedStep !== undefined && step <= lastAcceptedStep) replayed = true
    else accepted ??= step
  }
  if (accepted !== undefined) return { ok: true, step: accepted }
  return { ok: false, reason: replayed ? 'replayed' : 'invalid' }
}
