import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  hashSecurityAnswer,
  normalizeSecurityAnswer,
  securityQuestions,
  validateSecurityAnswers,
  verifySecurityAnswer,
} from './security-questions.ts'

const [q1, q2, q3] = securityQuestions.map((q) => q.id)

describe('security questions', () => {
  it('offers about a dozen questions with unique ids', () => {
    assert.ok(securityQuestions.length >= 10)
    assert.equal(new Set(securityQuestions.map((q) => q.id)).size, securityQuestions.length)
    for (const q of securityQuestions) assert.ok(q.text.length <= 200 && q.text.endsWith('?'))
  })

  it('normalises width, case and spacing', () => {
    assert.equal(normalizeSecurityAnswer('  New \t York  '), 'new york')
    assert.equal(normalizeSecurityAnswer('ＭＵＮＩＣＨ'), 'munich')
    assert.equal(normalizeSecurityAnswer('Zürich'), normalizeSecurityAnswer('Zu\u0308rich'))
  })
})

describe('validateSecurityAnswers', () => {
  it('accepts distinct known questions with 3–40 character answers, Unicode included', () => {
    const result = validateSecurityAnswers([
      { questionId: q1!, answer: '  Ann   Arbor ' },
      { questionId: q2!, answer: '東京都' },
      { questionId: q3!, answer: 'x'.repeat(40) },
    ])
    assert.ok(result.ok)
    assert.equal(result.value[0]!.answer, 'Ann Arbor')
  })

  it('counts characters after trimming, in code points', () => {
    const result = validateSecurityAnswers([
      { questionId: q1!, answer: '  ab  ' },
      { questionId: q2!, answer: 'y'.repeat(41) },
      { questionId: q3!, answer: '😀😀😀' },
    ])
    assert.ok(!result.ok)
    assert.deepEqual(result.error.problems, [
      { index: 0, reason: 'too-short' },
      { index: 1, reason: 'too-long' },
    ])
  })

  it('refuses unknown questions, repeated questions and repeated answers', () => {
    const result = validateSecurityAnswers([
      { questionId: q1!, answer: 'Paris' },
      { questionId: 'favourite-colour', answer: 'Blue' },
      { questionId: q1!, answer: 'Lyon' },
      { questionId: q2!, answer: '  PARIS ' },
    ])
    assert.ok(!result.ok)
    assert.deepEqual(result.error.problems, [
      { index: 1, reason: 'unknown-question' },
      { index: 2, reason: 'duplicate-question' },
      { index: 3, reason: 'duplicate-answer' },
    ])
  })

  it('refuses fewer answers than required', () => {
    const none = validateSecurityAnswers([])
    assert.ok(!none.ok && none.error.tooFew)
    const two = validateSecurityAnswers(
      [
        { questionId: q1!, answer: 'Paris' },
        { questionId: q2!, answer: 'Lyon' },
      ],
      { minCount: 3 },
    )
    assert.ok(!two.ok)
    assert.deepEqual(two.error, { problems: [], tooFew: true })
  })
})

describe('security answer hashes', () => {
  it('stores scrypt$N$r$p$salt$hash and verifies the normalised answer', async () => {
    const stored = await hashSecurityAnswer('New York')
    assert.match(stored, /^scrypt\$16384\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/)
    assert.ok(!stored.toLowerCase().includes('york'))
    assert.equal(await verifySecurityAnswer(stored, '  new   YORK '), true)
    assert.equal(await verifySecurityAnswer(stored, 'Newark'), false)
  })

  it('salts each hash', async () => {
    assert.notEqual(await hashSecurityAnswer('Paris'), await hashSecurityAnswer('Paris'))
  })

  it('refuses malformed or extravagant stored values', async () => {
    const stored = await hashSecurityAnswer('Paris')
    const [, , r, p, salt, hash] = stored.split('$')
    assert.equal(await verifySecurityAnswer('', 'Paris'), false)
    assert.equal(await verifySecurityAnswer(`scrypt$${1 << 24}$${r}$${p}$${salt}$${hash}`, 'Paris'), false)
    assert.equal(await verifySecurityAnswer(`scrypt$1000$${r}$${p}$${salt}$${hash}`, 'Paris'), false)
  })
})
