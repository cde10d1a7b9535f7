/** @module Smart lockout (reference §1.7): pure rules, so they are tested without a store or a clock. */
import type { SignInLockout } from '../../store/store-records.ts'

export interface LockoutPolicy {
  /** Failed sign-ins, each with a different wrong password, before the account locks. */
  readonly threshold: number
  /** The first lock; each repeat doubles it, up to maxLockMs. */
  readonly baseLockMs: number
  readonly maxLockMs: number
}

// The reference remembers the last 3 bad password hashes so a repeated typo does not count again.
const REMEMBERED_BAD = 3

export const unlocked: SignInLockout = { failures: 0, lockLevel: 0, lockedUntil: 0, recentBad: [], updatedAt: 0 }

export function lockedUntil(state: SignInLockout | undefined, now: number): number | undefined {
  return state && state.lockedUntil > now ? state.lockedUntil : undefined
}

/**
 * The state after a wrong password whose keyed digest is `badDigest`. A digest seen among the last
 * three does not count; the threshold-th distinct failure locks for base × 2^level.
 */
export function afterFailure(
  state: SignInLockout | undefined,
  badDigest: string,
  now: number,
  policy: LockoutPolicy,
): { state: SignInLockout; counted: boolean; locked: boolean } {
  const current = state ?? unlocked
  if (current.recentBad.includes(badDigest)) {
    return { state: { ...current, updatedAt: now }, counted: false, locked: false }
  }
  const recentBad = [...current.recentBad, badDigest].slice(-REMEMBERED_BAD)
  const failures = current.failures + 1
  if (failures < policy.threshold) {
    return { state: { ...current, failures, recentBad, updatedAt: now }, counted: true, locked: false }
  }
  const lockMs = Math.min(policy.baseLockMs * 2 ** current.lockLevel, policy.maxLockMs)
  return {
    state: { failures: 0, lockLevel: current.lockLevel + 1, lockedUntil: now + lockMs, recentBad, updatedAt: now },
    counted: true,
    locked: true,
  }
}

/** A good password clears the count; the lock level decays so an old attack is not held against the user. */
export function afterSuccess(now: number): SignInLockout {
  return { ...unlocked, updatedAt: now }
}
