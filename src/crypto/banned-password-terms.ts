/** @module Normalisation and the global term list for the banned-password check (reference §4.2). */
import { createRequire } from 'node:module'
import type { dictionary as ZxcvbnDictionary } from '@zxcvbn-ts/language-common'

/**
 * Applied after lowercasing. The first four are the documented ones; Microsoft's full table is not
 * published (reference §7), so the rest are the leetspeak swaps that have one obvious reading.
 * Left out on purpose: 2 (to/z), 6 and 9 (g/b), 8 (b/"ate") — ambiguous, and mapping them would
 * turn years and PINs into letter runs that fuzzy-match unrelated terms. Every substitution is one
 * code point for one code point, so a substituted digit still scores as one leftover character:
 * the reference examples keep their scores (C0ntos0Blank12 → "contosoblankl2" = 4, ContoS0Bl@nkf9!
 * → "contosoblankf9i" = 5).
 */
export const SUBSTITUTIONS: ReadonlyMap<string, string> = new Map([
  ['0', 'o'],
  ['1', 'l'],
  ['$', 's'],
  ['@', 'a'],
  ['3', 'e'],
  ['4', 'a'],
  ['5', 's'],
  ['7', 't'],
  ['!', 'i'],
  ['|', 'l'],
  ['+', 't'],
])

/**
 * Lowercases and substitutes one code point at a time, so the result lines up with the password's
 * characters and an emoji counts as one character rather than two UTF-16 units.
 */
export function normaliseForBannedCheck(text: string): string[] {
  const out: string[] = []
  for (const ch of text) {
    const lower = ch.toLowerCase()
    // A few letters (İ) lowercase to two code points; keeping them whole preserves the 1:1 alignment.
    const single = lower.length === ch.length ? lower : ch
    out.push(SUBSTITUTIONS.get(single) ?? single)
  }
  return out
}

/** Term lengths the custom list allows (reference §4.1); the global subset uses the same bounds. */
export const MIN_TERM_LENGTH = 4
export const MAX_TERM_LENGTH = 16

/**
 * A name is matched whole and word by word, since a tenant called "Contoso Ltd" or a surname like
 * "van der Berg" rarely appears in a password with its spaces. Separators are split before
 * normalising so that $, @, ! and friends still count as letters. Only terms of 4+ characters count.
 */
export function nameBannedTerms(name: string | null | undefined): string[] {
  if (!name) return []
  const words = name
    .split(/[^\p{L}\p{M}\p{N}$@!|+]+/u)
    .filter((word) => word.length > 0)
    .map((word) => normaliseForBannedCheck(word))
  const terms = new Set<string>()
  for (const word of [words.flat(), ...words]) {
    if (word.length >= MIN_TERM_LENGTH) terms.add(word.join(''))
  }
  return [...terms]
}

/** How many global terms survive into the subset, taken in the list's rank order. */
export const GLOBAL_TERM_LIMIT = 2000

/**
 * Entra's global list is a curated set of base terms that fuzzy matching then widens, not a breach
 * corpus. The 49k zxcvbn list is the opposite: mostly variants and rare words. Taking it whole would
 * reject a passphrase of three uncommon words just because each appears somewhere in 49k entries.
 * So the subset is the first GLOBAL_TERM_LIMIT entries, in rank order, that are base terms:
 * - not all digits: the cloud complexity rule already refuses those, and after substitution they
 *   become letter soup ("123456" → "l2eas6") that would fuzzy-match unrelated passwords;
 * - 4–16 characters once normalised, like custom terms;
 * - not a word with digits before or after ("password123", "1monkey", "red123") where the word is
 *   itself an entry or too short to be a term: scoring already counts those digits as leftover
 *   characters, and after substitution "123" becomes "l2e", which would fuzzy-match any "l2x";
 * - not a duplicate of an earlier entry after normalisation ("passw0rd" is "password").
 */
export function selectGlobalTerms(rankedEntries: readonly string[], limit = GLOBAL_TERM_LIMIT): string[] {
  const candidates: string[] = []
  const candidateSet = new Set<string>()
  const cores: (string | null)[] = []
  for (const entry of rankedEntries) {
    const lower = entry.toLowerCase()
    if (/^[0-9]*$/.test(lower)) continue
    const term = normaliseForBannedCheck(lower).join('')
    const length = [...term].length
    if (length < MIN_TERM_LENGTH || length > MAX_TERM_LENGTH || candidateSet.has(term)) continue
    const core = lower.replace(/^[0-9]+|[0-9]+$/g, '')
    if ([...core].length < MIN_TERM_LENGTH) continue
    candidates.push(term)
    candidateSet.add(term)
    cores.push(core === lower ? null : normaliseForBannedCheck(core).join(''))
  }
  const selected: string[] = []
  for (const [i, term] of candidates.entries()) {
    const core = cores[i]
    if (core !== null && core !== undefined && candidateSet.has(core)) continue
    selected.push(term)
    if (selected.length >= limit) break
  }
  return selected
}

let globalTerms: readonly string[] | undefined

/**
 * Loaded on first use: the package decompresses all 49k entries when it is required, which would
 * otherwise cost every process that merely imports this module.
 */
export function globalBannedTerms(): readonly string[] {
  if (!globalTerms) {
    const require = createRequire(import.meta.url)
    const { dictionary } = require('@zxcvbn-ts/language-common') as { dictionary: typeof ZxcvbnDictionary }
    globalTerms = Object.freeze(selectGlobalTerms(dictionary['passwords-common']))
  }
  return globalTerms
}
