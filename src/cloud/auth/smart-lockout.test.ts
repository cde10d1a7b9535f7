import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { SignInLockout } from '../../store/store-records.ts'
import { afterFailure, afterSuccess, lockedUntil } from './smart-lockout.ts'

const policy = { threshold: 10, baseLockMs: 60_000, maxLockMs: 30 * 60_000 }

function fail(state: SignInLockout | undefined, digest: string, now: number) {
  return afterFailure(state, digest, now, policy)
}

describe('smart lockout', () => {
  it('locks for 60 s after 10 different wrong passwords', () => {
    let state: SignInLockout | undefined
    for (let i = 0; i < 9; i++) {
      const r = fail(state, `d${i}`, 1000)
      assert.equal(r.locked, false)
      state = r.state
    }
    const tenth = fail(state, 'd9', 1000)
    assert.equal(tenth.locked, true)
    assert.equal(lockedUntil(tenth.state, 1000), 61_000)
    assert.equal(lockedUntil(tenth.state, 61_000), undefined)
  })

  it('does not count the same wrong password again', () => {
    let state: SignInLockout | undefined
    for (let i = 0; i < 50; i++) state = fail(state, 'same', 1000).state
    assert.equal(state?.failures, 1)
    assert.equal(lockedUntil(state, 1000), undefined)
  })

  it('only remembers the last three wrong passwords', () => {
    let state: SignInLockout | undefined
    for (const d of ['a', 'b', 'c', 'd']) state = fail(state, d, 1).state
    const again = fail(state, 'a', 1)
    assert.equal(again.counted, true)
    assert.equal(again.state.failures, 5)
  })

  it('doubles the lock on repeats, up to the cap', () => {
    let state: SignInLockout | undefined
    let now = 0
    const locks: number[] = []
    for (let round = 0; round < 7; round++) {
      for (let i = 0; i < 10; i++) state = fail(state, `r${round}-${i}`, now).state
      const until = lockedUntil(state, now)
      assert.ok(until)
      locks.push(until - now)
      now = until
    }
    assert.deepEqual(locks, [60_000, 120_000, 240_000, 480_000, 960_000, 1_800_000, 1_800_000])
  })

  it('clears the count after a good password', () => {
    const state = afterSuccess(5)
    assert.equal(state.failures, 0)
    assert.equal(state.lockLevel, 0)
  })
})
