/** @module Turns AD's bare "a restriction prevents…" (LDAP 19, 0000052D) into IDB_ERR_WB_POLICY with a likely cause. */
import type { IdbridgeError } from '../../errors/idbridge-error.ts'
import { guessPolicyRootCause } from './policy-root-cause.ts'
import type { PasswordPolicy } from './password-policy.ts'
import type { DirectoryFault, WritebackSession, WritebackUser } from './writeback-directory.ts'
import { writebackFailure } from './writeback-failure.ts'

/** Used when not even the domain root can be read: the guess then rests on the DC's words alone. */
const unknownPolicy: PasswordPolicy = {
  minLength: 0,
  complexity: false,
  minAgeSeconds: 0,
  historyLength: 0,
  source: 'domain-fallback',
  psoDn: null,
}

export interface PolicyRefusalContext {
  readonly session: WritebackSession
  readonly user: WritebackUser
  readonly operation: 'reset' | 'adminReset' | 'change'
  /** Compared against the policy only; never copied into the error. */
  readonly candidate: string
  readonly historyEnforced: boolean
  readonly fault: DirectoryFault
  readonly now: number
}

/**
 * Reads the user's effective policy (PSO when readable, else the domain's) and, for a change,
 * whether the DACL denies it, then guesses. The reads run after the refusal, so a DC that can
 * no longer be read still yields IDB_ERR_WB_POLICY, only with a vaguer detail.
 */
export async function diagnosePolicyRefusal(context: PolicyRefusalContext): Promise<IdbridgeError> {
  const { session, user, fault } = context
  const policy = await session.readPolicy(user)
  const cannotChange = context.operation === 'change' ? await session.userCannotChange(user) : null
  const effective = policy.ok ? policy.value : unknownPolicy
  const guess = guessPolicyRootCause({
    operation: context.operation,
    candidate: context.candidate,
    samAccountName: user.samAccountName,
    displayName: user.displayName,
    pwdLastSet: user.pwdLastSet,
    policy: effective,
    historyEnforced: context.historyEnforced,
    userCannotChange: cannotChange?.ok === true && cannotChange.value,
    diagnostic: fault.diagnostic,
    now: context.now,
  })
  return writebackFailure('IDB_ERR_WB_POLICY', `Likely cause: ${guess.detail} (DC said: ${fault.diagnostic})`, {
    dc: fault.dc,
    ldapResultCode: fault.ldapResultCode,
    adDataCode: fault.adDataCode,
    systemCode: fault.systemCode,
    rootCause: guess.rootCause,
    rootCauseDetail: guess.detail,
    retryAfterSeconds: guess.retryAfterSeconds ?? null,
    policySource: effective.source,
    minLength: effective.minLength,
    historyLength: effective.historyLength,
    minAgeSeconds: effective.minAgeSeconds,
  })
}
