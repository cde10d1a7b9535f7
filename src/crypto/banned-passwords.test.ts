import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { globalBannedTerms, normaliseForBannedCheck, selectGlobalTerms } from './banned-password-terms.ts'
import { type BannedPasswordContext, MIN_BANNED_SCORE, checkBannedPassword } from './banned-passwords.ts'

// The reference §4.2 worked examples use a custom list of contoso and blank in the Contoso tenant.
const contoso: BannedPasswordContext = { tenantName: 'contoso', customTerms: ['contoso', 'blank'] }
const withCustom = (...customTerms: string[]): BannedPasswordContext => ({ tenantName: 'Fabrikam', customTerms })
const terms = (password: string, context: BannedPasswordContext) =>
  checkBannedPassword(password, context).matches.map((match) => `${match.list}:${match.term}`)

describe('banned password check: reference examples', () => {
  it('rejects C0ntos0Blank12 with score 4 and the audit failure reason', () => {
    const verdict = checkBannedPassword('C0ntos0Blank12', contoso)
    assert.equal(verdict.score, 4)
    assert.equal(verdict.accepted, false)
    assert.equal(verdict.failureReason, 'FuzzyPolicyViolationInvalidPassword')
    assert.deepEqual(terms('C0ntos0Blank12', contoso), ['custom:contoso', 'custom:blank'])
    assert.equal(verdict.customListHit, true)
  })

  it('accepts ContoS0Bl@nkf9! with score 5: the f after blank stays a leftover character', () => {
    const verdict = checkBannedPassword('ContoS0Bl@nkf9!', contoso)
    assert.equal(verdict.score, 5)
    assert.equal(verdict.score, MIN_BANNED_SCORE)
    assert.equal(verdict.accepted, true)
    assert.equal(verdict.failureReason, null)
  })

  it('rejects Bl@nK as the custom term blank', () => {
    const verdict = checkBannedPassword('Bl@nK', contoso)
    assert.deepEqual(verdict.matches, [{ term: 'blank', list: 'custom' }])
    assert.equal(verdict.accepted, false)
    assert.equal(verdict.customListHit, true)
  })

  it('finds the user name Poll inside p0LL23fb', () => {
    const poll = { ...contoso, givenName: 'Poll' }
    assert.deepEqual(terms('p0LL23fb', poll), ['user:poll'])
    // The reference calls this password rejected, yet its own scoring gives [poll]+2+3+f+b = 5, the
    // same total that accepts ContoS0Bl@nkf9!. Scoring is applied uniformly, so it passes at 5; one
    // character fewer is rejected.
    assert.equal(checkBannedPassword('p0LL23fb', poll).score, 5)
    assert.equal(checkBannedPassword('p0LL23f', poll).accepted, false)
    assert.equal(checkBannedPassword('p0LL23f', poll).customListHit, false)
  })
})

describe('banned password check: fuzzy matching at edit distance 1', () => {
  const abc = withCustom('abcdef')
  it('matches a substitution, a deletion and an inner insertion as one term', () => {
    for (const password of ['abcdeg', 'abcde', 'abcxdef']) {
      assert.deepEqual(terms(password, abc), ['custom:abcdef'], password)
      assert.equal(checkBannedPassword(password, abc).score, 1, password)
    }
  })

  it('matches abcdefg, counting the extra edge character on its own', () => {
    assert.deepEqual(terms('abcdefg', abc), ['custom:abcdef'])
    assert.equal(checkBannedPassword('abcdefg', abc).score, 2)
  })

  it('does not match at edit distance 2, including a transposition', () => {
    for (const password of ['abcdxx', 'abdcef']) assert.deepEqual(terms(password, abc), [], password)
  })

  it('picks the strictest non-overlapping assignment', () => {
    // blank + "ite" would score 4; "blan" (blank minus k) + kite scores 2.
    const verdict = checkBannedPassword('blankite', withCustom('blank', 'kite'))
    assert.equal(verdict.score, 2)
    assert.deepEqual(verdict.matches.map((match) => match.term), ['blank', 'kite'])
  })

  it('does not let a run of digits fuzzy-match a term, but still matches digits used as letters', () => {
    const test = withCustom('test')
    assert.deepEqual(terms('Wx7317#q', test), [])
    assert.deepEqual(terms('Wx7e57#q', test), ['custom:test'])
  })
})

describe('banned password check: names and tenant', () => {
  it('matches names and tenant exactly, word by word, and only from 4 characters', () => {
    const context = { tenantName: 'Contoso Ltd', customTerms: [], givenName: 'Al', surname: 'van der Berg' }
    assert.deepEqual(terms('vanderberg!!', context), ['user:vanderberg'])
    assert.deepEqual(terms('Berg2024', context), ['user:berg'])
    assert.deepEqual(terms('xContoso9#Q', context), ['tenant:contoso'])
    assert.deepEqual(terms('Al#9xQzW', context), [])
    assert.deepEqual(terms('Pxll7#Qz', { ...context, givenName: 'Poll' }), [], 'names are not fuzzy-matched')
  })

  it('reports a custom hit over the tenant name when both explain the same characters', () => {
    assert.deepEqual(terms('Contoso', contoso), ['custom:contoso'])
  })

  it('reports the administrator spelling of a custom term and skips out-of-range terms', () => {
    const context = withCustom('C0ntoso', 'abc', 'x'.repeat(17))
    assert.deepEqual(terms('contoso', context), ['custom:C0ntoso'])
    assert.deepEqual(terms('abc#xyz', context), [])
  })
})

describe('banned password check: global list', () => {
  it('rejects P@ssw0rd123 as the global term password plus three leftovers', () => {
    const verdict = checkBannedPassword('P@ssw0rd123', withCustom())
    assert.deepEqual(verdict.matches, [{ term: 'password', list: 'global' }])
    assert.equal(verdict.score, 4)
    assert.equal(verdict.accepted, false)
    assert.equal(verdict.customListHit, false)
  })

  it('accepts a strong random password and a passphrase of uncommon words', () => {
    const random = checkBannedPassword('Tq8#vLz2!mRw', contoso)
    assert.deepEqual(random, { accepted: true, score: 12, matches: [], failureReason: null, customListHit: false })
    assert.equal(checkBannedPassword('QuinoaGlacierMarmot', contoso).accepted, true)
  })

  it('loads a subset of 2000 base terms once', () => {
    const list = globalBannedTerms()
    assert.equal(list, globalBannedTerms())
    assert.equal(list.length, 2000)
    assert.ok(list.includes('password') && list.includes('monkey'))
    assert.ok(!list.includes('passwordl2e') && !list.includes('l2eas6'))
    assert.ok(list.every((term) => [...term].length >= 4 && [...term].length <= 16))
  })

  it('selects base terms by rank', () => {
    const ranked = ['123456', 'Password', 'password1', 'passw0rd', 'abc', 'red123', '1monkey', 'monkey', 'dragon']
    assert.deepEqual(selectGlobalTerms(ranked), ['password', 'monkey', 'dragon'])
    assert.deepEqual(selectGlobalTerms(ranked, 2), ['password', 'monkey'])
  })
})

describe('banned password check: normalisation and odd input', () => {
  it('lowercases and substitutes one code point for one', () => {
    assert.equal(normaliseForBannedCheck('P@$$W0RD1!').join(''), 'passwordli')
    assert.equal(normaliseForBannedCheck('3457|+').join(''), 'eastlt')
    assert.equal(normaliseForBannedCheck('2689').join(''), '2689')
    assert.deepEqual(normaliseForBannedCheck('a🦄B'), ['a', '🦄', 'b'])
  })

  it('rejects an empty password with score 0', () => {
    assert.deepEqual(checkBannedPassword('', contoso), {
      accepted: false,
      score: 0,
      matches: [],
      failureReason: 'FuzzyPolicyViolationInvalidPassword',
      customListHit: false,
    })
  })

  it('handles 256 characters and counts an emoji as one character', () => {
    const long = checkBannedPassword('Tq8#vLz2!mRw'.repeat(22).slice(0, 256), contoso)
    assert.ok(long.accepted && long.score <= 256)
    assert.equal(checkBannedPassword('🦄🔥🌈💧', contoso).score, 4)
    assert.deepEqual(terms('🦄Contoso🦄', contoso), ['custom:contoso'])
    assert.equal(checkBannedPassword('\u{1F984}\uD800İ', contoso).score, 3)
  })

  it('never echoes the password', () => {
    for (const password of ['Bl@nK', 'P@ssw0rd123', 'p0LL23fb']) {
      const verdict = checkBannedPassword(password, { ...contoso, givenName: 'Poll' })
      assert.ok(!JSON.stringify(verdict).includes(password), password)
    }
  })

  it('copes with a full 1000-term custom list across many checks (no timing asserted)', () => {
    const customTerms = Array.from({ length: 1000 }, (_, i) => `term${i.toString(36).padStart(4, 'q')}`)
    const context = withCustom(...customTerms)
    assert.deepEqual(terms('TERMqqq0', context), ['custom:termqqq0'])
    for (let i = 0; i < 200; i++) checkBannedPassword(`${'Zq8#'.repeat(64)}${i}`, context)
  })
})
