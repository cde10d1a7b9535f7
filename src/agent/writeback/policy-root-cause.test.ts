/** @module Pure parts of a policy refusal: AD complexity, effective policy, the root-cause guess, fault mapping. */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { adComplexityFailure, characterCategories } from './ad-complexity.ts'
import { daclDeniesChangePassword } from './cannot-change-acl.ts'
import { fakeFault } from './fake-writeback-directory.ts'
import { domainPolicy, intervalSeconds, type PasswordPolicy, psoPolicy } from './password-policy.ts'
import { pickPolicyHintsOid, POLICY_HINTS_DEPRECATED_OID, POLICY_HINTS_OID } from './policy-hints-control.ts'
import { formatDuration, guessPolicyRootCause, type PolicyRefusal } from './policy-root-cause.ts'
import { type FaultPhase, faultMeaning, type WritebackCode } from './writeback-failure.ts'

const DAY = 86_400
const now = Date.UTC(2026, 3, 10, 12)
const policy: PasswordPolicy = {
  minLength: 7,
  complexity: true,
  minAgeSeconds: DAY,
  historyLength: 24,
  source: 'domain',
  psoDn: null,
}

function refusal(fields: Partial<PolicyRefusal>): PolicyRefusal {
  return {
    operation: 'change',
    candidate: 'Fine-Pass-1',
    samAccountName: 'jdoe',
    displayName: 'John Doe',
    pwdLastSet: now - 3 * 3_600_000,
    policy,
    historyEnforced: true,
    userCannotChange: false,
    diagnostic: '0000052D: Constraint violation - check_password_restrictions',
    now,
    ...fields,
  }
}

const rootCause = (fields: Partial<PolicyRefusal>) => guessPolicyRootCause(refusal(fields)).rootCause

describe('AD complexity', () => {
  test('counts upper, lower, digits and everything else (symbols, caseless letters) as four groups', () => {
    assert.equal(characterCategories('abc'), 1)
    assert.equal(characterCategories('Abc1'), 3)
    assert.equal(characterCategories('Ab1!'), 4)
    assert.equal(characterCategories('abc日本'), 2, 'caseless letters count as the fourth group')
    assert.equal(characterCategories('ÄÖÜäöü'), 2, 'non-ASCII letters with case are upper and lower')
  })

  test('refuses the account name and display-name tokens of 3+ characters, case-insensitively', () => {
    const displayToken = (token: string) => ({ kind: 'containsDisplayName', token })
    assert.deepEqual(adComplexityFailure('xxJDOE-12x', 'jdoe', 'John Doe'), { kind: 'containsAccountName' })
    assert.deepEqual(adComplexityFailure('myjohn-Pass1', 'jdoe', 'John Doe'), displayToken('John'))
    assert.equal(adComplexityFailure('Doe!Pass1', 'jdoe', 'John Do'), null, '"Do" is shorter than 3 characters')
    assert.equal(adComplexityFailure('Ab1!ab', 'ab', null), null, 'a 2-character account name is not checked')
    assert.deepEqual(adComplexityFailure('Mary-O-1x', 'mo', 'Mary-Ann O_Brien'), displayToken('Mary'))
    assert.deepEqual(adComplexityFailure('alllower', 'jdoe', 'John Doe'), { kind: 'tooFewCategories', categories: 1 })
  })
})

describe('effective policy', () => {
  test('reads FILETIME intervals and the complexity bit', () => {
    assert.equal(intervalSeconds('-864000000000'), DAY)
    assert.equal(intervalSeconds('0'), 0)
    assert.equal(intervalSeconds(null), 0)
    assert.equal(intervalSeconds('-9223372036854775808'), Number.MAX_SAFE_INTEGER)
    const attrs = { minPwdLength: '8', pwdProperties: '1', minPwdAge: '-864000000000', pwdHistoryLength: '24' }
    assert.deepEqual(domainPolicy(attrs), { ...policy, minLength: 8 })
    assert.equal(domainPolicy({ ...attrs, pwdProperties: '16' }).complexity, false)
  })

  test('a readable PSO wins; a hidden one falls back to the domain and says so', () => {
    const domain = domainPolicy({ minPwdLength: '8', pwdProperties: '1', minPwdAge: '0', pwdHistoryLength: '24' })
    const readable = psoPolicy(
      'CN=pso',
      {
        minimumPasswordLength: '12',
        complexityEnabled: 'FALSE',
        minimumPasswordAge: '-864000000000',
        historyLength: '5',
      },
      domain,
    )
    assert.deepEqual(readable, {
      minLength: 12,
      complexity: false,
      minAgeSeconds: DAY,
      historyLength: 5,
      source: 'pso',
      psoDn: 'CN=pso',
    })
    const hidden = {
      minimumPasswordLength: null,
      complexityEnabled: null,
      minimumPasswordAge: null,
      historyLength: null,
    }
    const fallback = psoPolicy('CN=pso', hidden, domain)
    assert.deepEqual(fallback, { ...domain, source: 'domain-fallback', psoDn: 'CN=pso' })
  })
})

describe('guessPolicyRootCause', () => {
  test('too short, by the policy', () => {
    assert.deepEqual(guessPolicyRootCause(refusal({ candidate: 'Ab1!' })), {
      rootCause: 'tooShort',
      detail: 'The password must be at least 7 characters.',
    })
  })

  test('complexity names the broken rule', () => {
    const guess = guessPolicyRootCause(refusal({ candidate: 'John-Pass-1' }))
    assert.equal(guess.rootCause, 'complexity')
    assert.match(guess.detail, /must not contain "John" from the display name/)
    const lower = guessPolicyRootCause(refusal({ candidate: 'onlylowercase' }))
    assert.match(lower.detail, /uses 1 of the 4 character groups/)
  })

  test('minimum age: how long ago, how long to wait, and retryAfterSeconds', () => {
    assert.deepEqual(guessPolicyRootCause(refusal({})), {
      rootCause: 'minimumAge',
      detail: 'The password was changed 3 h ago; the minimum age is 1 day, so wait 21 h.',
      retryAfterSeconds: 21 * 3_600,
    })
  })

  test('a reset without policy hints is not bound by age, so an unexplained refusal is history or a filter', () => {
    const guess = guessPolicyRootCause(refusal({ operation: 'reset', historyEnforced: false }))
    assert.equal(guess.rootCause, 'history')
    assert.equal(
      guess.detail,
      'The password matches one of the last 24 passwords, or a password filter on the domain controller refused it.',
    )
    assert.equal(rootCause({ pwdLastSet: 0 }), 'history', '"must change" users may change at once')
  })

  test('user cannot change password, only for a change', () => {
    assert.equal(rootCause({ userCannotChange: true }), 'userCannotChange')
    assert.equal(rootCause({ userCannotChange: true, operation: 'reset', candidate: 'x' }), 'tooShort')
  })

  test("Samba's diagnostic names the rule and beats the recomputation (a hidden PSO)", () => {
    const tooShort = '0000052D: … the password is too short. It should be equal or longer than 12 characters!'
    assert.deepEqual(guessPolicyRootCause(refusal({ candidate: 'Long-Enough1', diagnostic: tooShort })), {
      rootCause: 'tooShort',
      detail: 'The password must be at least 12 characters.',
    })
    const hidden: PasswordPolicy = { ...policy, minAgeSeconds: 0, source: 'domain-fallback' }
    const tooYoung = '0000052D: password is too young to change!'
    const young = guessPolicyRootCause(refusal({ policy: hidden, diagnostic: tooYoung }))
    assert.equal(young.rootCause, 'minimumAge')
    assert.match(young.detail, /fine-grained password policy/)
    assert.equal(rootCause({ diagnostic: 'the password was already used (in history)!' }), 'history')
  })

  test('durations round up', () => {
    const formatted = [30, 61, 3_601, 2 * DAY].map(formatDuration)
    assert.deepEqual(formatted, ['30 s', '2 min', '2 h', '2 days'])
  })
})

describe('policy hints and DACL', () => {
  test('prefers 2239, falls back to the deprecated 2066, else none', () => {
    assert.equal(pickPolicyHintsOid([POLICY_HINTS_DEPRECATED_OID, POLICY_HINTS_OID]), POLICY_HINTS_OID)
    assert.equal(pickPolicyHintsOid([POLICY_HINTS_DEPRECATED_OID]), POLICY_HINTS_DEPRECATED_OID)
    assert.equal(pickPolicyHintsOid(['1.2.840.113556.1.4.841']), null)
  })

  test('finds a deny Change Password ACE for Everyone in a self-relative descriptor', () => {
    const guid = Buffer.from('531a72ab2f1ed011981900aa0040529b', 'hex')
    const everyone = Buffer.from('010100000000000100000000', 'hex')
    // type 6 (deny object), size 0x28, mask CONTROL_ACCESS, flags "object type present"
    const ace = Buffer.concat([Buffer.from([6, 0, 0x28, 0, 0, 1, 0, 0, 1, 0, 0, 0]), guid, everyone])
    const descriptor = (entry: Buffer) => {
      const header = Buffer.alloc(20)
      header.writeUInt32LE(20, 16)
      return Buffer.concat([header, Buffer.from([4, 0, 8 + entry.length, 0, 1, 0, 0, 0]), entry])
    }
    assert.equal(daclDeniesChangePassword(descriptor(ace)), true)
    const allow = Buffer.from(ace)
    allow[0] = 0x05
    assert.equal(daclDeniesChangePassword(descriptor(allow)), false)
    assert.equal(daclDeniesChangePassword(Buffer.alloc(8)), false, 'malformed reads as not denied')
  })
})

describe('faultMeaning', () => {
  const meaning = (fields: Parameters<typeof fakeFault>[1], phase: FaultPhase, change = false) =>
    faultMeaning(fakeFault('ldaps://dc1', fields), phase, change)
  const code = (value: WritebackCode) => ({ kind: 'code', code: value })

  test('maps AD answers to writeback codes by phase', () => {
    assert.deepEqual(meaning({ ldapResultCode: 19, adDataCode: '0000052d' }, 'write'), { kind: 'policy' })
    const wrongOld = meaning({ ldapResultCode: 19, adDataCode: '00000056' }, 'write', true)
    assert.deepEqual(wrongOld, code('IDB_ERR_WB_INCORRECT_PASSWORD'))
    assert.deepEqual(meaning({ ldapResultCode: 19, adDataCode: null }, 'write', true), { kind: 'policy' })
    assert.deepEqual(meaning({ ldapResultCode: 50 }, 'write'), code('IDB_ERR_WB_ACCESS_DENIED'))
    assert.deepEqual(meaning({ ldapResultCode: 32 }, 'write'), code('IDB_ERR_WB_USER_NOT_FOUND'))
    assert.deepEqual(meaning({ ldapResultCode: 53 }, 'write'), code('IDB_ERR_WB_AD_ERROR'))
    assert.deepEqual(meaning({ ldapResultCode: 49, adDataCode: '52e' }, 'open'), code('IDB_ERR_WB_AD_ERROR'))
    assert.deepEqual(meaning({ ldapResultCode: 49, adDataCode: '775' }, 'verify'), code('IDB_ERR_WB_ACCOUNT_LOCKED'))
    assert.deepEqual(meaning({ ldapResultCode: 49, adDataCode: '773' }, 'verify'), code('IDB_ERR_WB_PASSWORD_EXPIRED'))
  })

  test('no answer: retry before the write, unknown after it', () => {
    assert.deepEqual(meaning({ systemCode: 'ECONNRESET' }, 'read'), { kind: 'retry' })
    assert.deepEqual(meaning({ afterSend: true }, 'write'), code('IDB_ERR_WB_OUTCOME_UNKNOWN'))
    assert.deepEqual(meaning({ systemCode: 'ETIMEDOUT' }, 'verify'), code('IDB_ERR_WB_DC_UNAVAILABLE'))
  })
})
