/** @module Error codes of password writeback: the relay envelope and the agent's work in AD, with the reference's event IDs. */
import type { ErrorDefinition } from './error-definition.ts'

// `data.eventId` carries the reference's event ID (§2.9) and travels with the code over the channel;
// the tenant maps each code to the SSPR code the user sees (SSPR_0029 for on-premises configuration).
export const writebackErrorCodes = {
  IDB_ERR_WB_DECRYPTION: {
    status: 502,
    message: 'The on-premises service could not read the request.',
    cause:
      'Event 32004 DecryptionError: the request was sealed for an encryption key the agent no longer holds, or it was altered on the way.',
    fix: 'Rotate the agent keys (`idbridge agent rotate-keys`) or turn password writeback off and on again, which makes the tenant use the current key.',
  },
  IDB_ERR_WB_INVALID_REQUEST: {
    status: 400,
    message: 'The on-premises service could not read the request.',
    cause: 'Event 32003 InPutValidationError: the request package is malformed, or its sealed metadata disagrees with its header.',
    fix: 'Make sure the agent and the tenant service run the same idbridge version; report the tracking id if they do.',
  },
  IDB_ERR_WB_EXPIRED: {
    status: 504,
    message: 'Your request took too long. Start again.',
    cause: 'Event 32003: the request reached the agent after its expiry, so the agent refused to apply it.',
    fix: 'Check the agent host clock and the channel latency (`GET /api/v1/agents`); an agent that was offline for minutes drops old requests by design.',
  },
  IDB_ERR_WB_USER_NOT_FOUND: {
    status: 404,
    message: 'Your password could not be changed on-premises. Contact your administrator.',
    cause: 'Event 33002 ADUserNotFoundError: "The operation failed because the object could not be found." The user was deleted or moved out of reach in AD, or its sourceAnchor changed.',
    fix: 'Check that the user exists in AD under the connector base DN; run `idbridge sync` so the tenant learns about deletions.',
  },
  IDB_ERR_WB_MULTIPLE_MATCHES: {
    status: 409,
    message: 'Your password could not be changed on-premises. Contact your administrator.',
    cause: 'Event 33003 ADMutliMatchError: two AD users carry the same sourceAnchor.',
    fix: 'Clear the duplicated ms-DS-ConsistencyGuid on the wrong object.',
  },
  IDB_ERR_WB_PROTECTED_ACCOUNT: {
    status: 403,
    message: 'Your password cannot be reset here because your account is protected. Contact your administrator.',
    cause:
      'Event 33004 ADPermissionsError: "The password could not be updated because the management agent credentials were denied access." The account has adminCount=1 or is in a protected group (Domain Admins, Administrators, …), whose passwords writeback never resets. This is by design (SSPR_0029 cause 1).',
    fix: 'Protected users change their password with the old one, or an AD administrator resets it on-premises. For a former admin, clear adminCount and re-enable ACL inheritance on the user.',
  },
  IDB_ERR_WB_ACCESS_DENIED: {
    status: 403,
    message: 'Your password could not be changed on-premises. Contact your administrator.',
    cause:
      'Event 33004 ADPermissionsError: "Requesting user was denied access to perform the operation on a privileged account." The DC refused the connector account (LDAP 50): it lacks Reset Password, Write lockoutTime or Write pwdLastSet on this user.',
    fix: 'Grant the connector account Reset Password, Change Password, Write lockoutTime and Write pwdLastSet on descendant user objects of the synced OUs, and check that inheritance is on for the user.',
  },
  IDB_ERR_WB_ACCOUNT_DISABLED: {
    status: 403,
    message: 'Your account is disabled. Contact your administrator.',
    cause: 'Event 33005 ADUserAccountDisabled: the account is disabled in AD.',
    fix: 'Enable the account in AD if it should be in use.',
  },
  IDB_ERR_WB_ACCOUNT_LOCKED: {
    status: 403,
    message: 'Your account is locked. Reset your password or try again later.',
    cause:
      'Event 33006 ADUserAccountLockedOut: AD refused the sign-in password check because the account is locked out (bind result 49, data 775).',
    fix: 'The user can unlock with self-service password reset, or an AD administrator clears the lockout; check for a device that keeps sending an old password.',
  },
  IDB_ERR_WB_PASSWORD_EXPIRED: {
    status: 403,
    message: 'Your password has expired. Change it to sign in.',
    cause:
      'The sign-in password check reached AD with the right password, but the password has expired or must be changed at next logon (bind result 49, data 532 or 773). Logged as event 33001 only when it is a DC failure; a verify is otherwise quiet.',
    fix: 'Nothing to fix: the user changes the password (with the current one) or resets it.',
  },
  IDB_ERR_WB_INCORRECT_PASSWORD: {
    status: 400,
    message: 'Your current password is not correct.',
    cause:
      'Event 33007 ADUserIncorrectPassword: the old password given for a change did not match AD (LDAP 19 with data 00000056, or a failed bind with data 52e), or a sign-in password check (verify) failed.',
    fix: 'Nothing to fix: the user typed the wrong current password.',
  },
  IDB_ERR_WB_POLICY: {
    status: 400,
    message: 'Your new password does not meet the on-premises password policy. Choose another one.',
    cause:
      'Event 33008 ADPasswordPolicyError: "A restriction prevents the password from being changed to the current one specified." (LDAP 19, AD data 0000052D). `data.rootCause` names the likely rule (tooShort, complexity, minimumAge, history — which also stands for a DC password filter — or userCannotChange) and `data.rootCauseDetail` says it in a sentence.',
    fix: 'Choose a password that meets the domain or fine-grained policy; the result page names the rule. Set the minimum password age to 0 if users must reset more than once a day.',
  },
  IDB_ERR_WB_NO_POLICY_CONTROL: {
    status: 502,
    message: 'Your password could not be changed on-premises. Contact your administrator.',
    cause:
      "Event 6329: \"The server doesn't contain the LDAP password policy control.\" The DC advertises neither LDAP_SERVER_POLICY_HINTS_OID (1.2.840.113556.1.4.2239) nor the deprecated 1.2.840.113556.1.4.2066 in its rootDSE supportedControl, and the agent is set to refuse resets without it (`writeback.withoutPolicyHints: \"refuse\"`).",
    fix: 'Point the agent at DCs that support the control, or set `writeback.withoutPolicyHints` to "proceed" in the agent config to reset without history enforcement (the default on Samba).',
  },
  IDB_ERR_WB_DC_UNAVAILABLE: {
    status: 503,
    message: 'Your password could not be changed right now. Try again in a few minutes.',
    cause: 'Event 33001 ADUnKnownError: no preferred domain controller answered before the write, so nothing was written (each failed DC also logs event 616).',
    fix: 'Check that the DCs in `directory.domainControllers` are up and reachable from the agent host over LDAPS.',
  },
  IDB_ERR_WB_OUTCOME_UNKNOWN: {
    status: 502,
    message: 'We could not confirm whether your password changed. Try signing in with the new password before trying again.',
    cause: 'Event 32000 UnknownError: the connection to the DC broke after the write was sent, so AD may or may not have applied it.',
    fix: 'Check pwdLastSet on the user in AD. The request is not retried, to avoid applying it twice.',
  },
  IDB_ERR_WB_AD_ERROR: {
    status: 502,
    message: 'Your password could not be changed on-premises. Contact your administrator.',
    cause: 'Event 33001 ADUnKnownError: AD refused the write for a reason not listed elsewhere; the detail carries the LDAP result code and AD data code.',
    fix: 'Read the detail in the agent event log; a DN with reserved characters (leading space or #, trailing space, , + " \\ < > ; =) also gives this.',
  },
} as const satisfies Record<string, ErrorDefinition>
