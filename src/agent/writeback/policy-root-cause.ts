/** @module Explains an AD password-policy refusal (LDAP 19 / 0000052D): which rule most likely failed, and why. */
import { adComplexityFailure } from './ad-complexity.ts'
import type { PasswordPolicy } from './password-policy.ts'

/** `history` also stands for a DC password filter: AD reports both the same way and neither can be re-checked. */
export type PolicyRootCause = 'tooShort' | 'complexity' | 'minimumAge' | 'history' | 'userCannotChange'

export interface PolicyDiagnosis {
  readonly rootCause: PolicyRootCause
  /** One sentence for the user and the admin; never contains the password. */
  readonly detail: string
  /** For minimumAge: when the password may be changed. */
  readonly retryAfterSeconds?: number
}

/** What the guess is made from. The candidate is only compared, never copied into the result. */
export interface PolicyRefusal {
  readonly operation: 'reset' | 'adminReset' | 'change'
  readonly candidate: string
  readonly samAccountName: string
  readonly displayName: string | null
  /** Epoch ms, 0 = must change, null = unknown. */
  readonly pwdLastSet: number | null
  readonly policy: PasswordPolicy
  /** Whether AD applied history and minimum age to this write (a change, or a reset with policy hints). */
  readonly historyEnforced: boolean
  /** The DACL denies the user Change Password; only matters for a change. */
  readonly userCannotChange: boolean
  /** The DC's diagnostic; Samba names the rule in it, AD does not. */
  readonly diagnostic: string
  readonly now: number
}

/** "21 h", "1 day", "5 min": rounded up, so waiting that long is enough. */
export function formatDuration(seconds: number): string {
  if (seconds >= 86_400 && seconds % 86_400 === 0) return plural(seconds / 86_400, 'day')
  if (seconds >= 3_600) return `${Math.ceil(seconds / 3_600)} h`
  if (seconds >= 60) return `${Math.ceil(seconds / 60)} min`
  return `${Math.max(1, Math.ceil(seconds))} s`
}

function plural(n: number, unit: string): string {
  return `${n} ${unit}${n === 1 ? '' : 's'}`
}

/** Samba's check_password_restrictions names the rule; AD's 0000052D text never does. */
function ruleNamedByDc(diagnostic: string): { rule: PolicyRootCause; minLength?: number } | null {
  const short = /too short.*?(\d+) characters/i.exec(diagnostic)
  if (short) return { rule: 'tooShort', minLength: Number(short[1]) }
  if (/too short/i.test(diagnostic)) return { rule: 'tooShort' }
  if (/complexity/i.test(diagnostic)) return { rule: 'complexity' }
  if (/too young/i.test(diagnostic)) return { rule: 'minimumAge' }
  if (/in history|already used/i.test(diagnostic)) return { rule: 'history' }
  return null
}

function tooShort(minLength: number): PolicyDiagnosis {
  return { rootCause: 'tooShort', detail: `The password must be at least ${minLength} characters.` }
}

function complexity(refusal: PolicyRefusal): PolicyDiagnosis {
  const failure = adComplexityFailure(refusal.candidate, refusal.samAccountName, refusal.displayName)
  const rule =
    'use characters from three of these groups: upper case, lower case, digits, symbols, ' +
    'and contain neither the account name nor a part of the display name'
  if (failure?.kind === 'containsAccountName') {
    return { rootCause: 'complexity', detail: `The password must not contain the account name; it must ${rule}.` }
  }
  if (failure?.kind === 'containsDisplayName') {
    return {
      rootCause: 'complexity',
      detail: `The password must not contain "${failure.token}" from the display name; it must ${rule}.`,
    }
  }
  if (failure?.kind === 'tooFewCategories') {
    return {
      rootCause: 'complexity',
      detail: `The password uses ${failure.categories} of the 4 character groups; it must ${rule}.`,
    }
  }
  return { rootCause: 'complexity', detail: `The password must ${rule}.` }
}

/** Seconds until the minimum age has passed, or null when it has (or cannot be known). */
function secondsUntilOldEnough(refusal: PolicyRefusal): number | null {
  const { pwdLastSet, policy, now } = refusal
  // pwdLastSet 0 means "must change now": AD lets such a user change whatever the minimum age.
  if (policy.minAgeSeconds <= 0 || pwdLastSet === null || pwdLastSet === 0) return null
  const ageSeconds = Math.max(0, Math.floor((now - pwdLastSet) / 1000))
  const wait = policy.minAgeSeconds - ageSeconds
  return wait > 0 ? wait : null
}

function minimumAge(refusal: PolicyRefusal, wait: number | null): PolicyDiagnosis {
  if (refusal.policy.minAgeSeconds <= 0) {
    // Only the DC's words say "too young": the age comes from a PSO the connector may not read.
    const fallback = refusal.policy.source === 'domain-fallback'
    const where = fallback ? 'the fine-grained password policy that applies' : 'the password policy'
    const detail = `The password was changed too recently for the minimum age set by ${where}.`
    return { rootCause: 'minimumAge', detail }
  }
  const minimum = formatDuration(refusal.policy.minAgeSeconds)
  if (wait === null || refusal.pwdLastSet === null) {
    return { rootCause: 'minimumAge', detail: `The password was changed too recently; the minimum age is ${minimum}.` }
  }
  const age = formatDuration(Math.max(1, Math.floor((refusal.now - refusal.pwdLastSet) / 1000)))
  return {
    rootCause: 'minimumAge',
    detail: `The password was changed ${age} ago; the minimum age is ${minimum}, so wait ${formatDuration(wait)}.`,
    retryAfterSeconds: wait,
  }
}

function history(refusal: PolicyRefusal): PolicyDiagnosis {
  const n = refusal.policy.historyLength
  const detail =
    n > 0
      ? `The password matches one of the last ${plural(n, 'password')}, ` +
        'or a password filter on the domain controller refused it.'
      : 'A password filter on the domain controller refused the password.'
  return { rootCause: 'history', detail }
}

/**
 * Re-checks the candidate against the user's effective policy in the order AD applies it,
 * preferring the rule the DC named when it named one. Only a guess for AD: a PSO the connector
 * cannot read, or a password filter, can make the real reason differ.
 *
 * @example
 * guessPolicyRootCause({ ...refusal, candidate: 'Ab1!' }).rootCause // 'tooShort'
 */
export function guessPolicyRootCause(refusal: PolicyRefusal): PolicyDiagnosis {
  const wait = secondsUntilOldEnough(refusal)
  const named = ruleNamedByDc(refusal.diagnostic)
  if (named?.rule === 'tooShort') return tooShort(named.minLength ?? refusal.policy.minLength)
  if (named?.rule === 'complexity') return complexity(refusal)
  if (named?.rule === 'minimumAge') return minimumAge(refusal, wait)
  if (named?.rule === 'history') return history(refusal)
  if (refusal.operation === 'change' && refusal.userCannotChange) {
    return {
      rootCause: 'userCannotChange',
      detail: 'The account is set so that the user cannot change the password; an administrator must reset it.',
    }
  }
  if ([...refusal.candidate].length < refusal.policy.minLength) return tooShort(refusal.policy.minLength)
  if (
    refusal.policy.complexity &&
    adComplexityFailure(refusal.candidate, refusal.samAccountName, refusal.displayName) !== null
  ) {
    return complexity(refusal)
  }
  if (refusal.historyEnforced && wait !== null) return minimumAge(refusal, wait)
  return history(refusal)
}
