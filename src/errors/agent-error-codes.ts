/** @module Error codes of the agent's directory connector: binding to a DC, TLS, rights and reads. */
import type { ErrorDefinition } from './error-definition.ts'

// `detail` always names the DC; `data` carries { dc, ldapResultCode, adDataCode } so that events,
// the CLI and the tenant can show the exact LDAP result and AD sub-code without parsing text.
export const agentErrorCodes = {
  AGENT_ERR_DC_BAD_CREDENTIALS: {
    status: 502,
    message: 'The agent could not sign in to Active Directory.',
    cause: 'The DC rejected the connector account: wrong password or unknown bind DN (LDAP 49, AD data 52e or 525).',
    fix: 'Check the connector bind DN and set its current password in the agent config; if it was rotated in AD, update the agent too.',
  },
  AGENT_ERR_DC_ACCOUNT_LOCKED: {
    status: 502,
    message: 'The agent could not sign in to Active Directory.',
    cause: 'The connector account is locked out (LDAP 49, AD data 775), usually after repeated wrong passwords.',
    fix: 'Unlock the connector account in AD (clear lockoutTime), then fix whatever used the old password.',
  },
  AGENT_ERR_DC_PASSWORD_EXPIRED: {
    status: 502,
    message: 'The agent could not sign in to Active Directory.',
    cause: 'The connector account password has expired (AD data 532) or must be changed at next logon (AD data 773).',
    fix: 'Set a new password on the connector account, clear "must change", and mark it "password never expires" as service accounts usually are.',
  },
  AGENT_ERR_DC_ACCOUNT_RESTRICTED: {
    status: 502,
    message: 'The agent could not sign in to Active Directory.',
    cause:
      'The connector account is disabled (533), expired (701) or outside its logon hours or workstations (530, 531).',
    fix: 'Enable the connector account and remove its logon-hour, workstation and expiry restrictions.',
  },
  AGENT_ERR_DC_PASSWORD_POLICY: {
    status: 502,
    message: 'Active Directory refused the change because of its password policy.',
    cause:
      'ERROR_PASSWORD_RESTRICTION (LDAP 19, AD data 0000052D): length, complexity, history, minimum age or a filter.',
    fix: 'Use a value that satisfies the domain (or fine-grained) password policy.',
  },
  AGENT_ERR_DC_UNREACHABLE: {
    status: 503,
    message: 'The agent cannot reach a domain controller.',
    cause:
      'The connection was refused, timed out, reset, or the DC name does not resolve (ECONNREFUSED, ETIMEDOUT, ENOTFOUND).',
    fix: 'Check the DC URL and port (636 for ldaps://, 389 for ldap:// with StartTLS), DNS, and firewalls between agent and DC.',
  },
  AGENT_ERR_DC_CERT_UNTRUSTED: {
    status: 502,
    message: 'The agent does not trust the domain controller certificate.',
    cause:
      'The DC certificate does not chain to the configured CA (self-signed, unknown issuer, or the CA file is wrong), or it expired.',
    fix: 'Configure the CA that issued the DC certificate (PEM) in the agent, or renew the DC certificate.',
  },
  AGENT_ERR_DC_CERT_NAME_MISMATCH: {
    status: 502,
    message: 'The agent does not trust the domain controller certificate.',
    cause: 'The DC certificate does not name the host in the DC URL (ERR_TLS_CERT_ALTNAME_INVALID).',
    fix: 'Use the DC name or address that the certificate lists in subjectAltName, or reissue the certificate with that name.',
  },
  AGENT_ERR_DC_CONFIDENTIALITY_REQUIRED: {
    status: 502,
    message: 'The domain controller requires an encrypted connection.',
    cause: 'The DC refused a bind or operation without TLS or signing (LDAP 8 or 13).',
    fix: 'Use ldaps:// or ldap:// (the agent then always uses StartTLS) and make sure the DC has a certificate.',
  },
  AGENT_ERR_DC_INSUFFICIENT_RIGHTS: {
    status: 502,
    message: 'The connector account lacks a right it needs in Active Directory.',
    cause: 'The DC answered insufficientAccessRights (LDAP 50, AD data 00002098 or 00000005).',
    fix: 'Grant the connector account the documented rights (read on the sync OUs; Replicating Directory Changes on the domain root for DirSync).',
  },
  AGENT_ERR_DC_DIRSYNC_REFUSED: {
    status: 502,
    message: 'The domain controller refused the DirSync control.',
    cause:
      'DirSync needs "Replicating Directory Changes" on the domain root, and a DC that supports 1.2.840.113556.1.4.841 (LDAP 50, 12 or 53).',
    fix: 'Nothing is required: the agent falls back to uSNChanged polling. Grant "Replicating Directory Changes" to use DirSync.',
  },
  AGENT_ERR_DC_NO_SUCH_OBJECT: {
    status: 502,
    message: 'A configured directory object does not exist.',
    cause: 'The base DN, a scope OU or the scope group does not exist on this DC (LDAP 32).',
    fix: 'Correct the DN in the agent config; `idbridge lab up` prints the lab DNs.',
  },
  AGENT_ERR_DC_TIMEOUT: {
    status: 504,
    message: 'The domain controller did not answer in time.',
    cause: 'An LDAP operation exceeded the configured timeout, or the DC reported timeLimitExceeded (LDAP 3).',
    fix: 'Check DC load and network latency, or raise the agent directory timeouts.',
  },
  AGENT_ERR_DC_BUSY: {
    status: 503,
    message: 'The domain controller is busy or unavailable.',
    cause:
      'The DC answered busy, unavailable or unwilling to perform (LDAP 51, 52, 53), or ran out of admin limits (11).',
    fix: 'Retry later, or list another DC first among the preferred domain controllers.',
  },
  AGENT_ERR_DC_LDAP_ERROR: {
    status: 502,
    message: 'The domain controller returned an error.',
    cause: 'An LDAP result the agent has no specific advice for; the detail has the result code and the DC text.',
    fix: 'Look up the LDAP result code and AD data code in the detail; check the DC event log for the same time.',
  },
  AGENT_ERR_DIRECTORY_VALUE_MALFORMED: {
    status: 422,
    message: 'A directory object has a value the agent cannot read.',
    cause: 'A user has a malformed attribute (for example an objectGUID that is not 16 bytes); that user is skipped.',
    fix: 'Correct the named attribute on the named user in AD; the next import picks the user up.',
  },
} as const satisfies Record<string, ErrorDefinition>
