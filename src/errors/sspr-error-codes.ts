/** @module Self-service password reset codes: the reference's SSPR_00xx numbers (§3.4), and the portal's own. */
import type { ErrorDefinition } from './error-definition.ts'

const eligibility = 'You cannot reset your password here. Contact your administrator.'

export const ssprErrorCodes = {
  SSPR_0009: {
    status: 403,
    message: 'Your organization has not turned on password reset. Contact your administrator.',
    cause: 'TenantSSPRFlagDisabled: self-service password reset is off for the tenant.',
    fix: 'Turn it on with PATCH /api/v1/tenant/settings {"ssprEnabled": true}.',
  },
  SSPR_0010: {
    status: 403,
    message: eligibility,
    cause: 'WritebackNotEnabled: the user is synced from AD, so its password lives on-premises, and password writeback is off.',
    fix: 'Run an agent and turn writeback on: PATCH /api/v1/tenant/settings {"passwordWritebackEnabled": true}.',
  },
  SSPR_0011: {
    status: 403,
    message: eligibility,
    cause: 'SsprNotEnabledInUserPolicy: the group the reset policy is scoped to no longer exists, so no policy applies to anyone.',
    fix: 'Set ssprScopeGroupId to an existing group, or to null to let every user reset.',
  },
  SSPR_0012: {
    status: 403,
    message: eligibility,
    cause: 'UserNotLicensed: the tenant requires a license for SSPR (ssprRequiredLicense) and the user does not have it.',
    fix: 'Assign the license to the user (SCIM PATCH of licenses), or clear ssprRequiredLicense.',
  },
  SSPR_0013: {
    status: 403,
    message: eligibility,
    cause: 'UserNotMemberOfScopedAccessGroup: SSPR is scoped to a group (ssprScopeGroupId) the user is not in.',
    fix: 'Add the user to the scoped group, or widen the scope.',
  },
  SSPR_0014: {
    status: 403,
    message: 'You have not registered enough ways to verify who you are. Contact your administrator.',
    cause: 'UserNotProperlyConfigured: the user registered fewer methods than the policy asks for (administrators need 2, without security questions).',
    fix: 'Have the user sign in and register methods at /t/<tenant>/me/security-info, after an admin reset if needed.',
  },
  SSPR_0029: {
    status: 502,
    message: 'We could not reset your password because of a problem in your organization\'s on-premises setup. Contact your administrator.',
    cause:
      'OnPremisesAdminActionRequired: the agent refused or AD rejected the operation: a protected account (33004), missing rights (33004), a user not found in AD (33002), a key mismatch (32004) or a DC without the policy control (6329). The admin hint names the agent code and event.',
    fix: 'Look up the support code in the audit log and the agent event log (`idbridge agent events --id <event>`); the agent code says what to change.',
  },
  SSPR_0030: {
    status: 503,
    message: 'We could not reach your organization\'s on-premises service. Try again in a few minutes.',
    cause:
      'OnPremisesConnectivityError: no agent is online (agent side: event 31034, "The connection to the connect service was lost"), or it did not answer in time.',
    fix: 'Start the agent (`idbridge agent run`) and check `GET /api/v1/agents`; its event log shows 31034 while it cannot reach the tenant.',
  },
  SSPR_OUTCOME_UNKNOWN: {
    status: 502,
    message: 'We could not confirm whether your password was reset. Try to sign in with the new password before you try again.',
    cause: 'The agent received the request but the connection broke before it answered; the tenant never retries blindly.',
    fix: 'Check the agent event log for the tracking id in the audit entry (31002 means it was applied).',
  },
  SSPR_BLOCKED: {
    status: 429,
    message: 'You have tried too many times. Wait 24 hours and try again, or contact your administrator.',
    cause: 'Throttling: more than 5 reset attempts, gate attempts or code sends for one user ID within an hour. Audited as "Blocked from self-service password reset".',
    fix: 'Wait 24 hours after the last attempt. If someone else is trying, investigate the audit log by user ID.',
  },
  SSPR_CAPTCHA: {
    status: 400,
    message: 'The characters you entered did not match the picture. Try the new picture.',
    cause: 'A wrong, expired or already used captcha answer.',
    fix: 'Nothing to fix; every captcha works once.',
  },
  SSPR_CODE_INVALID: {
    status: 400,
    message: 'That code or answer is not right. Check it and try again.',
    cause: 'A wrong one-time code, authenticator code or security answer, or a code used before.',
    fix: 'Nothing to fix; repeated failures block the user ID for 24 hours.',
  },
  SSPR_CODE_EXPIRED: {
    status: 400,
    message: 'That code has expired. Ask for a new one.',
    cause: 'One-time codes last 10 minutes.',
    fix: 'Nothing to fix.',
  },
  SSPR_FLOW_EXPIRED: {
    status: 400,
    message: 'Your password reset session has ended. Start again.',
    cause: 'The reset flow expired (15 minutes), or the browser lost its flow cookie, or the step was submitted twice.',
    fix: 'Nothing to fix.',
  },
  SSPR_PASSWORD_MISMATCH: {
    status: 400,
    message: 'The passwords you entered do not match.',
    cause: 'The new password and its confirmation differ.',
    fix: 'Nothing to fix.',
  },
  SSPR_PASSWORD_INVALID: {
    status: 400,
    message: 'Enter a password of 1 to 256 characters.',
    cause: 'An empty password, or one longer than AD accepts (256 characters).',
    fix: 'Nothing to fix.',
  },
  SSPR_BANNED_PASSWORD: {
    status: 400,
    message:
      'Your password contains a word, phrase or pattern that makes it easy to guess. Try again with a different password.',
    cause: 'FuzzyPolicyViolationInvalidPassword: the global banned list, the tenant name or the user\'s own name matched (score below 5).',
    fix: 'Nothing to fix; the user picks another password.',
  },
  SSPR_BANNED_PASSWORD_CUSTOM: {
    status: 400,
    message:
      'Your password contains a word, phrase or pattern that is blocked by your administrator. Try again with a different password.',
    cause: 'FuzzyPolicyViolationInvalidPassword: a term of the tenant\'s custom banned list (customBannedPasswords) matched.',
    fix: 'Nothing to fix; the user picks another password. Review the custom list if users hit it too often.',
  },
  SSPR_CLOUD_POLICY: {
    status: 400,
    message: 'Your new password does not meet the password rules.',
    cause: 'The cloud password policy for cloud-managed users: 8–256 characters, 3 of 4 classes, printable ASCII.',
    fix: 'Nothing to fix; the page lists the rule that failed.',
  },
  SSPR_ONPREM_POLICY: {
    status: 400,
    message: 'Your new password does not meet your organization\'s on-premises password policy.',
    cause: 'On-premises policy violation: AD refused the password (agent event 33008). The page names the likely rule.',
    fix: 'Nothing to fix if the rule is expected; otherwise review the domain policy or the user\'s PSO.',
  },
  SSPR_WRONG_PASSWORD: {
    status: 400,
    message: 'Your current password is not correct.',
    cause: 'A password change gave the wrong current password (agent event 33007 for synced users).',
    fix: 'Nothing to fix.',
  },
} as const satisfies Record<string, ErrorDefinition>
