import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { ManualClock } from '../../time/clock.ts'
import { checkOneTimeCode, issueOneTimeCode } from './one-time-code.ts'

describe('one-time codes', () => {
  it('issues 8-digit codes and stores no plain code', () => {
    const clock = new ManualClock()
    const { code, record } = issueOneTimeCode(clock.now())
    assert.match(code, /^\d{8}$/)
    assert.match(record.digest, /^[0-9a-f]{64}$/)
    assert.match(record.salt, /^[0-9a-f]{32}$/)
    assert.ok(!JSON.stringify(record).includes(code))
    assert.equal(record.expiresAt, clock.now() + 10 * 60 * 1000)
  })

  it('gives different salts and digests each time', () => {
    const a = issueOneTimeCode(0)
    const b = issueOneTimeCode(0)
    assert.notEqual(a.record.salt, b.record.salt)
    assert.notEqual(a.record.digest, b.record.digest)
  })

  it('accepts the code, with whitespace ignored', () => {
    const { code, record } = issueOneTimeCode(1000)
    assert.equal(checkOneTimeCode(record, code, 1000), 'ok')
    assert.equal(checkOneTimeCode(record, ` ${code.slice(0, 4)} ${code.slice(4)}\n`, 1000), 'ok')
  })

  it('refuses other codes as wrong', () => {
    const { code, record } = issueOneTimeCode(0)
    const other = String((Number(code) + 1) % 10 ** 8).padStart(8, '0')
    for (const bad of [other, code.slice(1), `${code}1`, '', 'abcdefgh']) {
      assert.equal(checkOneTimeCode(record, bad, 0), 'wrong')
    }
  })

  it('expires at the end of its lifetime, even for the right code', () => {
    const clock = new ManualClock()
    const { code, record } = issueOneTimeCode(clock.now(), 60_000)
    clock.advance(59_999)
    assert.equal(checkOneTimeCode(record, code, clock.now()), 'ok')
    clock.advance(1)
    assert.equal(checkOneTimeCode(record, code, clock.now()), 'expired')
  })

  it('treats a record whose salt or digest was tampered with as wrong', () => {
    const { code, record } = issueOneTimeCode(0)
    assert.equal(checkOneTimeCode({ ...record, salt: '00'.repeat(16) }, code, 0), 'wrong')
    assert.equal(checkOneTimeCode({ ...record, digest: 'abcd' }, code, 0), 'wrong')
  })
})
