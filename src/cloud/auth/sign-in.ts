/** @module Password sign-in with smart lockout, audited, and timed alike for known and unknown users. */
import { createHmac } from 'node:crypto'
import { checkPassword } from '../../crypto/password-verifier.ts'
import { IdbridgeError, type Result } from '../../errors/idbridge-error.ts'
import type { Store } from '../../store/store.ts'
import type { Tenant, User } from '../../store/store-records.ts'
import type { Clock } from '../../time/clock.ts'
import { activities, categories, services } from '../audit/audit-activities.ts'
import { createSession } from './sessions.ts'
import { afterFailure, afterSuccess, type LockoutPolicy, lockedUntil } from './smart-lockout.ts'

export interface SignInDeps {
  readonly store: Store
  readonly clock: Clock
  readonly lockout: LockoutPolicy
  readonly sessionMinutes: number
  /**
   * Checks a synced user's password against AD through the agent, while password hash sync has not
   * delivered a verifier (the reference's pass-through authentication).
   */
  readonly passThrough?: (user: User, password: string) => Promise<Result<void>>
}

export interface SignInAttempt {
  readonly tenant: Tenant
  readonly userPrincipalName: string
  readonly password: string
  readonly correlationId: string
}

// Checked when there is no user or no credential, so that both take as long as a real check.
const decoyVerifier = 'scrypt$32768$8$1$ZGVjb3ktc2FsdC0xMjM0NQ==$ckKAprcC5iLoSH7SHpntIW7NBr8PDmBSpPs4Wc8jcII='

export async function signIn(
  deps: SignInDeps,
  attempt: SignInAttempt,
): Promise<Result<{ user: User; sessionToken: string; mustChangePassword: boolean }>> {
  const { store, clock } = deps
  const { tenant, correlationId } = attempt
  const now = clock.now()
  const audit = (target: string, result: 'success' | 'failure', failureReason: string | null) =>
    store.audit.append({
      tenantId: tenant.id,
      activity: activities.signIn,
      service: services.authentication,
      category: categories.signIn,
      actor: target,
      target,
      result,
      failureReason,
      correlationId,
      details: {},
    })
  const failed = (detail: string) => ({
    ok: false as const,
    error: new IdbridgeError('IDB_ERR_SIGNIN_FAILED', { detail }),
  })

  const user = await store.users.getByUserPrincipalName(tenant.id, attempt.userPrincipalName)
  if (!user) {
    await checkPassword(decoyVerifier, attempt.password)
    await audit(attempt.userPrincipalName.slice(0, 256), 'failure', 'UserNotFound')
    return failed('unknown userPrincipalName')
  }
  const lockState = await store.lockouts.get(tenant.id, user.id)
  const until = lockedUntil(lockState, now)
  if (until !== undefined) {
    await audit(user.userPrincipalName, 'failure', 'AccountLocked')
    return {
      ok: false,
      error: new IdbridgeError('IDB_ERR_SIGNIN_LOCKED', { detail: `locked until ${new Date(until).toISOString()}` }),
    }
  }
  const credential = await store.credentials.get(tenant.id, user.id)
  const passThrough = !credential && user.onPremises?.syncEnabled && deps.passThrough
  let good: boolean
  if (passThrough) {
    const checked = await passThrough(user, attempt.password)
    // AD unreachable is not a wrong password: it must not count towards the smart lockout.
    if (!checked.ok && checked.error.code !== 'IDB_ERR_WB_INCORRECT_PASSWORD') {
      await audit(user.userPrincipalName, 'failure', `PassThroughUnavailable (${checked.error.code})`)
      return {
        ok: false,
        error: new IdbridgeError('IDB_ERR_SIGNIN_UNAVAILABLE', { detail: checked.error.detail, cause: checked.error }),
      }
    }
    good = checked.ok
  } else {
    good = await checkPassword(credential?.verifier ?? decoyVerifier, attempt.password)
  }
  if (!good) {
    // The digest is keyed by the user's own verifier, so the stored value says nothing on its own.
    const digest = createHmac('sha256', credential?.verifier ?? user.id)
      .update(attempt.password)
      .digest('base64url')
      .slice(0, 16)
    const next = afterFailure(lockState, digest, now, deps.lockout)
    await store.lockouts.put(tenant.id, user.id, next.state)
    const known = credential || passThrough
    await audit(user.userPrincipalName, 'failure', known ? 'InvalidPassword' : 'NoPasswordCredential')
    if (next.locked) {
      return { ok: false, error: new IdbridgeError('IDB_ERR_SIGNIN_LOCKED', { detail: 'locked by this attempt' }) }
    }
    return failed(known ? 'wrong password' : 'user has no password credential')
  }
  // Checked after the password, so a disabled account is only revealed to someone who knows it.
  if (!user.accountEnabled) {
    await audit(user.userPrincipalName, 'failure', 'UserDisabled')
    return failed('account disabled')
  }
  if (lockState) await store.lockouts.put(tenant.id, user.id, afterSuccess(now))
  const sessionToken = await createSession(store, clock, user, deps.sessionMinutes)
  await audit(user.userPrincipalName, 'success', null)
  // A temporary password (set by an admin, or synced with ForcePasswordChangeOnLogOn) works once, for changing it.
  return { ok: true, value: { user, sessionToken, mustChangePassword: credential?.mustChange ?? false } }
}
