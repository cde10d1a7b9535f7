/**
 * @module Entra-style banned password check (reference §4.2): normalise, find banned terms within
 * one edit (global and custom lists) or as exact substrings (user's names, tenant name), then score.
 */
import { FuzzyTermIndex, forEachFuzzyHit } from './banned-password-index.ts'
import {
  MAX_TERM_LENGTH,
  MIN_TERM_LENGTH,
  globalBannedTerms,
  nameBannedTerms,
  normaliseForBannedCheck,
} from './banned-password-terms.ts'

/** Who is choosing the password, and the tenant's own list. */
export interface BannedPasswordContext {
  readonly givenName?: string | null
  readonly surname?: string | null
  readonly tenantName: string
  /** The tenant's custom banned list: up to 1000 terms of 4–16 characters, validated by the caller. */
  readonly customTerms: readonly string[]
}

/** The outcome of one check, safe to log: it names banned terms, never the password. */
export interface BannedPasswordVerdict {
  readonly accepted: boolean
  readonly score: number
  /** Terms found, with where they came from; never includes the password itself. */
  readonly matches: readonly { term: string; list: 'global' | 'custom' | 'user' | 'tenant' }[]
  /** 'FuzzyPolicyViolationInvalidPassword' when rejected (the audit failure reason). */
  readonly failureReason: 'FuzzyPolicyViolationInvalidPassword' | null
  /** True when a custom-list term was found: the page then says "blocked by your administrator". */
  readonly customListHit: boolean
}

/** A password is accepted only when its score reaches this (reference §4.2). */
export const MIN_BANNED_SCORE = 5

type TermList = BannedPasswordVerdict['matches'][number]['list']

/** One banned-term instance: password characters [start, end) after normalisation. */
interface Hit {
  readonly start: number
  readonly end: number
  readonly term: string
  readonly list: TermList
  /** No edit was needed: on a tie the term the user actually typed is the better one to report. */
  readonly exact: boolean
}

// When two lists explain the same characters equally well, report the one that changes what the
// user is told: a custom hit is what makes the page say "blocked by your administrator".
const LIST_PRIORITY: Record<TermList, number> = { custom: 3, tenant: 2, user: 1, global: 0 }

let globalIndex: FuzzyTermIndex | undefined

/** Scores `password` against the global list, the tenant's custom list and the user's own names. */
export function checkBannedPassword(password: string, context: BannedPasswordContext): BannedPasswordVerdict {
  const chars = normaliseForBannedCheck(password)
  const hits: Hit[] = []

  globalIndex ??= new FuzzyTermIndex(globalBannedTerms())
  const global = globalIndex
  const custom = customIndex(context.customTerms)
  const digitsBefore = digitPrefixCounts(password)
  forEachFuzzyHit(chars, [global, custom.index], (which, start, end, id, exact) => {
    // Substituted digits read as letters, so a run of numbers can land one edit from a short term
    // ("7317" → "tetl" ≈ "test"). A near miss made mostly of digits is a number, not a disguised
    // word, so it stays as leftover characters; exact matches ("P@55w0rd") still count.
    const digits = (digitsBefore[end] ?? 0) - (digitsBefore[start] ?? 0)
    if (!exact && digits * 2 > end - start) return
    if (which === 0) hits.push({ start, end, term: global.terms[id] ?? '', list: 'global', exact })
    else hits.push({ start, end, term: custom.originals[id] ?? '', list: 'custom', exact })
  })

  for (const name of [context.givenName, context.surname]) {
    for (const term of nameBannedTerms(name)) pushSubstringHits(chars, term, 'user', hits)
  }
  for (const term of nameBannedTerms(context.tenantName)) pushSubstringHits(chars, term, 'tenant', hits)

  const chosen = strictestAssignment(chars.length, hits)
  const score = chosen.leftover + chosen.hits.length
  const accepted = score >= MIN_BANNED_SCORE
  return {
    accepted,
    score,
    matches: chosen.hits.map(({ term, list }) => ({ term, list })),
    failureReason: accepted ? null : 'FuzzyPolicyViolationInvalidPassword',
    customListHit: chosen.hits.some((hit) => hit.list === 'custom'),
  }
}

function tieRank(hit: Hit): number {
  return LIST_PRIORITY[hit.list] * 2 + (hit.exact ? 1 : 0)
}

/** counts[k] is how many of the password's first k code points are ASCII digits. */
function digitPrefixCounts(password: string): Int32Array {
  const counts = new Int32Array([...password].length + 1)
  let k = 0
  for (const ch of password) {
    counts[k + 1] = (counts[k] ?? 0) + (ch >= '0' && ch <= '9' ? 1 : 0)
    k++
  }
  return counts
}

/**
 * Picks non-overlapping hits that minimise (hits + leftover characters): an attacker gets to pick
 * the cheapest reading of a password, so the score must too. Dynamic programming over prefixes: best[i] is the lowest score for the
 * first i characters, reached either by leaving character i-1 over or by a hit ending at i.
 */
function strictestAssignment(length: number, hits: readonly Hit[]): { hits: Hit[]; leftover: number } {
  const endingAt: Hit[][] = Array.from({ length: length + 1 }, () => [])
  for (const hit of hits) endingAt[hit.end]?.push(hit)
  const best = new Int32Array(length + 1)
  const via: (Hit | null)[] = new Array<Hit | null>(length + 1).fill(null)
  for (let i = 1; i <= length; i++) {
    best[i] = (best[i - 1] ?? 0) + 1
    for (const hit of endingAt[i] ?? []) {
      const score = (best[hit.start] ?? 0) + 1
      const current = via[i]
      // Ties go to a hit over a leftover character, then to the list that matters more to the user,
      // then to an exact hit over a near miss.
      const better =
        score < (best[i] ?? 0) ||
        (score === best[i] && (!current || tieRank(hit) > tieRank(current)))
      if (better) {
        best[i] = score
        via[i] = hit
      }
    }
  }
  const chosen: Hit[] = []
  let leftover = 0
  for (let i = length; i > 0; ) {
    const hit = via[i]
    if (hit) {
      chosen.push(hit)
      i = hit.start
    } else {
      leftover++
      i--
    }
  }
  return { hits: chosen.reverse(), leftover }
}

function pushSubstringHits(chars: readonly string[], term: string, list: TermList, hits: Hit[]): void {
  const needle = [...term]
  for (let start = 0; start + needle.length <= chars.length; start++) {
    if (!needle.every((ch, k) => chars[start + k] === ch)) continue
    hits.push({ start, end: start + needle.length, term, list, exact: true })
  }
}

interface CustomIndex {
  readonly index: FuzzyTermIndex
  /** The admin's spelling of each indexed term, which is what the verdict reports. */
  readonly originals: readonly string[]
}

// Tenants reuse the same list call after call; building an index costs far more than a check, so a
// few recent lists are kept, keyed by content rather than array identity (callers rebuild arrays).
const customIndexes = new Map<string, CustomIndex>()
const CUSTOM_INDEX_CACHE_SIZE = 32

function customIndex(customTerms: readonly string[]): CustomIndex {
  // Keyed on the raw terms so a cache hit skips normalising up to 1000 of them on every check.
  const key = customTerms.join('\u0000')
  const cached = customIndexes.get(key)
  if (cached) {
    customIndexes.delete(key)
    customIndexes.set(key, cached)
    return cached
  }
  const normalised: string[] = []
  const originals: string[] = []
  const seen = new Set<string>()
  for (const original of customTerms) {
    const chars = normaliseForBannedCheck(original.trim())
    const term = chars.join('')
    // Out-of-range terms are the caller's validation problem; skipping them keeps the index bounded.
    if (chars.length < MIN_TERM_LENGTH || chars.length > MAX_TERM_LENGTH || seen.has(term)) continue
    seen.add(term)
    normalised.push(term)
    originals.push(original.trim())
  }
  const built = { index: new FuzzyTermIndex(normalised), originals }
  customIndexes.set(key, built)
  if (customIndexes.size > CUSTOM_INDEX_CACHE_SIZE) {
    const oldest = customIndexes.keys().next().value
    if (oldest !== undefined) customIndexes.delete(oldest)
  }
  return built
}
