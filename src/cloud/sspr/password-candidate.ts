/** @module The tenant's checks on a new password before anything leaves it. */
import { checkBannedPassword } from '../../crypto/banned-passwords.ts'
import { checkCloudPasswordPolicy, cloudPolicyMessages } from '../../crypto/cloud-password-policy.ts'
import { IdbridgeError, type Result } from '../../errors/idbridge-error.ts'
import type { Tenant, User } from '../../store/store-records.ts'

const fail = (error: IdbridgeError): Result<never> => ({ ok: false, error })

export function checkPasswordCandidate(tenant: Tenant, user: User, password: string, confirmation?: string): Result<void> {
  if (confirmation !== undefined && password !== confirmation) return fail(new IdbridgeError('SSPR_PASSWORD_MISMATCH'))
  if (password.length === 0 || password.length > 256) {
    return fail(new IdbridgeError('SSPR_PASSWORD_INVALID', { detail: `length ${password.length}` }))
  }
  const verdict = checkBannedPassword(password, {
    givenName: user.givenName,
    surname: user.surname,
    tenantName: tenant.name,
    customTerms: tenant.settings.customBannedPasswords,
  })
  if (!verdict.accepted) {
    return fail(
      new IdbridgeError(verdict.customListHit ? 'SSPR_BANNED_PASSWORD_CUSTOM' : 'SSPR_BANNED_PASSWORD', {
        detail: `score ${verdict.score}; matched ${verdict.matches.map((m) => m.list).join(', ')}`,
        data: { failureReason: 'FuzzyPolicyViolationInvalidPassword' },
      }),
    )
  }
  if (!user.onPremises?.syncEnabled) {
    const violations = checkCloudPasswordPolicy(password)
    if (violations.length > 0) {
      return fail(
        new IdbridgeError('SSPR_CLOUD_POLICY', { detail: violations.map((v) => cloudPolicyMessages[v]).join(' ') }),
      )
    }
  }
  return { ok: true, value: undefined }
}
