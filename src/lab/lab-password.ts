/** @module Random lab passwords that always pass AD complexity. */
import { randomInt } from 'node:crypto'

// No vowels and no y: AD complexity rejects a password that contains any 3+ letter token of the
// user's name, and every such token has one of these, so a random password can never collide.
const lower = 'bcdfghjkmnpqrstvwxz'
const upper = 'BCDFGHJKMNPQRSTVWXZ'
const digits = '23456789'
// Symbols that need no escaping in LDIF, smb.conf-style auth files, krb5 prompts or shells.
const symbols = '-_.+@!'

function pick(alphabet: string): string {
  return alphabet[randomInt(alphabet.length)]!
}

/**
 * A password with all four character classes, from a cryptographic source.
 *
 * @example
 * labPassword() // 'Kq7-vRt2@xbZm9Pd'
 */
export function labPassword(length = 16): string {
  const all = lower + upper + digits + symbols
  const chars = [pick(upper), pick(lower), pick(digits), pick(symbols)]
  while (chars.length < length) chars.push(pick(all))
  for (let i = chars.length - 1; i > 0; i--) {
    const j = randomInt(i + 1)
    ;[chars[i], chars[j]] = [chars[j]!, chars[i]!]
  }
  return chars.join('')
}
