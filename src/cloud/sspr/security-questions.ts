/** @module Security questions for password reset: the predefined list, answer rules (§3.2) and hashing. */
import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto'
import type { Result } from '../../errors/idbridge-error.ts'

/** One predefined question. The id is what the store keeps, so the wording can change later. */
export interface SecurityQuestion {
  readonly id: string
  readonly text: string
}

// Worded after Entra's predefined questions: facts that are stable, personal and not on a CV.
export const securityQuestions: readonly SecurityQuestion[] = [
  { id: 'city-met-partner', text: 'In what city did you meet your first spouse or partner?' },
  { id: 'city-parents-met', text: 'In what city did your parents meet?' },
  { id: 'city-nearest-sibling', text: 'In what city does your nearest sibling live?' },
  { id: 'city-father-born', text: 'In what city was your father born?' },
  { id: 'city-first-job', text: 'In what city was your first job?' },
  { id: 'city-mother-born', text: 'In what city was your mother born?' },
  { id: 'favorite-teacher', text: 'What is the last name of your favorite teacher in high school?' },
  { id: 'college-not-attended', text: "What is the name of a college you applied to but didn't attend?" },
  { id: 'father-middle-name', text: "What is your father's middle name?" },
  { id: 'grandmother-name', text: "What is your maternal grandmother's first and last name?" },
  { id: 'first-pet', text: 'What was the name of your first pet?' },
  { id: 'childhood-nickname', text: 'What was your childhood nickname?' },
]

const MIN_LENGTH = 3
const MAX_LENGTH = 40

/** One question the user picked and the answer they typed. */
export interface SecurityAnswerEntry {
  readonly questionId: string
  readonly answer: string
}

/** Why one entry was refused; `index` points into the submitted list so a form can mark the field. */
export interface SecurityAnswerProblem {
  readonly index: number
  readonly reason: 'unknown-question' | 'too-short' | 'too-long' | 'duplicate-question' | 'duplicate-answer'
}

/** NFKC, trimmed, inner whitespace collapsed: what the user meant to type, case kept. */
function tidy(answer: string): string {
  return answer.normalize('NFKC').trim().replace(/\s+/gu, ' ')
}

/** The comparison form: case and spacing do not count, so "New  York" matches "new york". */
export function normalizeSecurityAnswer(answer: string): string {
  return tidy(answer).toLowerCase()
}

/**
 * Checks a registration against §3.2: known questions, answers of 3–40 characters (code points,
 * so Unicode answers count fairly), no question twice and no answer twice. Reports every problem.
 */
export function validateSecurityAnswers(
  entries: readonly SecurityAnswerEntry[],
  options: { minCount?: number } = {},
): Result<SecurityAnswerEntry[], { problems: SecurityAnswerProblem[]; tooFew: boolean }> {
  const known = new Set(securityQuestions.map((q) => q.id))
  const seenQuestions = new Set<string>()
  const seenAnswers = new Set<string>()
  const problems: SecurityAnswerProblem[] = []
  entries.forEach((entry, index) => {
    const length = [...tidy(entry.answer)].length
    const normalized = normalizeSecurityAnswer(entry.answer)
    if (!known.has(entry.questionId)) problems.push({ index, reason: 'unknown-question' })
    else if (seenQuestions.has(entry.questionId)) problems.push({ index, reason: 'duplicate-question' })
    if (length < MIN_LENGTH) problems.push({ index, reason: 'too-short' })
    else if (length > MAX_LENGTH) problems.push({ index, reason: 'too-long' })
    else if (seenAnswers.has(normalized)) problems.push({ index, reason: 'duplicate-answer' })
    seenQuestions.add(entry.questionId)
    seenAnswers.add(normalized)
  })
  const tooFew = entries.length < (options.minCount ?? 1)
  if (problems.length > 0 || tooFew) return { ok: false, error: { problems, tooFew } }
  return { ok: true, value: entries.map((e) => ({ questionId: e.questionId, answer: tidy(e.answer) })) }
}

// Answers are low-entropy, so they get a memory-hard hash; N=2^14 keeps a 3-question check fast.
const PARAMS = { N: 1 << 14, r: 8, p: 1 } as const
const KEY_BYTES = 32
const FORMAT = /^scrypt\$(\d+)\$(\d+)\$(\d+)\$([A-Za-z0-9+/=]+)\$([A-Za-z0-9+/=]+)$/

function derive(answer: string, salt: Buffer, N: number, r: number, p: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(normalizeSecurityAnswer(answer), salt, KEY_BYTES, { N, r, p, maxmem: 256 * N * r }, (err, key) =>
      err ? reject(err) : resolve(key),
    )
  })
}

/** `scrypt$N$r$p$salt$hash` (base64) of the normalised answer, with a fresh salt. */
export async function hashSecurityAnswer(answer: string): Promise<string> {
  const salt = randomBytes(16)
  const key = await derive(answer, salt, PARAMS.N, PARAMS.r, PARAMS.p)
  return `scrypt$${PARAMS.N}$${PARAMS.r}$${PARAMS.p}$${salt.toString('base64')}$${key.toString('base64')}`
}

/** False for a wrong answer and for a malformed stored value alike. */
export async function verifySecurityAnswer(stored: string, answer: string): Promise<boolean> {
  const m = FORMAT.exec(stored)
  if (!m) return false
  const [N, r, p] = [Number(m[1]), Number(m[2]), Number(m[3])]
  // A tampered row must not make us allocate gigabytes.
  if (N < 2 || N > 1 << 20 || (N & (N - 1)) !== 0 || r < 1 || r > 32 || p < 1 || p > 16) return false
  const expected = Buffer.from(m[5]!, 'base64')
  const key = await derive(answer, Buffer.from(m[4]!, 'base64'), N, r, p)
  return key.length === expected.length && timingSafeEqual(key, expected)
}
