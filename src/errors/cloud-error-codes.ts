/** @module Error codes of the tenant service: HTTP input, auth, tenants, users and storage. */
import type { ErrorDefinition } from './error-definition.ts'

export const cloudErrorCodes = {
  IDB_ERR_MALFORMED_JSON: {
    status: 400,
    message: 'The request body is not valid JSON.',
    cause: 'A client sent a body that does not parse as JSON, or sent no body where one is required.',
    fix: 'Send a JSON document with Content-Type: application/json.',
  },
  IDB_ERR_MALFORMED_FORM: {
    status: 400,
    message: 'The form could not be read. Go back, reload the page and try again.',
    cause:
      'A form was posted with a body that does not parse: multipart/form-data without a boundary, cut short, or otherwise broken. Browsers do not send such bodies; a proxy that rewrites bodies or a hand-written client does.',
    fix: 'Post the form as application/x-www-form-urlencoded (or well-formed multipart/form-data), and check that no proxy alters request bodies.',
  },
  IDB_ERR_BODY_TOO_LARGE: {
    status: 413,
    message: 'The request body is too large.',
    cause: 'The body is larger than http.maxBodyBytes allows.',
    fix: 'Send a smaller body, or raise http.maxBodyBytes in the config if the size is legitimate.',
  },
  IDB_ERR_INVALID_INPUT: {
    status: 400,
    message: 'The request has a field that is missing or has the wrong form.',
    cause: 'Input validation failed; the response names the field and the expected form.',
    fix: 'Correct the named field.',
  },
  IDB_ERR_UNAUTHENTICATED: {
    status: 401,
    message: 'Authentication is required.',
    cause: 'No bearer token, an unknown token, or a revoked or expired one.',
    fix: 'Create a token with `idbridge admin token create` and send it as `Authorization: Bearer <token>`.',
  },
  IDB_ERR_FORBIDDEN: {
    status: 403,
    message: 'You are not allowed to do that.',
    cause: 'The caller is authenticated but lacks the role for this operation.',
    fix: 'Use an admin account or token of this tenant.',
  },
  IDB_ERR_CSRF: {
    status: 403,
    message: 'The form has expired. Go back, reload the page and try again.',
    cause: 'A form was posted without a valid anti-forgery token, or from another origin.',
    fix: 'Reload the page; if it persists, check that a proxy does not strip cookies or rewrite the Origin header.',
  },
  IDB_ERR_NOT_FOUND: {
    status: 404,
    message: 'Not found.',
    cause: 'The resource does not exist in this tenant, or belongs to another tenant.',
    fix: 'Check the id and that the token belongs to the tenant that owns the resource.',
  },
  IDB_ERR_TENANT_NOT_FOUND: {
    status: 404,
    message: 'This organisation was not found.',
    cause: 'The tenant named in the URL does not exist.',
    fix: 'Check the tenant name in the URL; `idbridge tenant list` shows the tenants.',
  },
  IDB_ERR_CONFLICT: {
    status: 409,
    message: 'That value is already in use.',
    cause: 'A unique value such as userPrincipalName, group name or tenant name is taken in this tenant.',
    fix: 'Choose another value, or update the existing object.',
  },
  IDB_ERR_PRECONDITION_FAILED: {
    status: 412,
    message: 'The resource changed since you read it.',
    cause: 'If-Match carried an ETag that is no longer current.',
    fix: 'Read the resource again and retry the change against the new ETag.',
  },
  IDB_ERR_SYNCED_ATTRIBUTE: {
    status: 409,
    message: 'This attribute is managed in on-premises Active Directory.',
    cause: 'The user is synced from AD (onPremisesSyncEnabled), and AD is the source of truth for this attribute.',
    fix: 'Change the attribute in Active Directory; the next sync brings it to the tenant.',
  },
  IDB_ERR_SCIM_FILTER: {
    status: 400,
    message: 'The filter is not valid.',
    cause: 'The SCIM filter does not parse, names an unsupported attribute or operator, or is too long or deep.',
    fix: 'Use RFC 7644 filter syntax with the attributes listed in /scim/v2/Schemas.',
  },
  IDB_ERR_PASSWORD_POLICY: {
    status: 400,
    message: 'The password does not meet the password policy.',
    cause: 'Cloud password policy: 8 to 256 characters, with 3 of 4 classes (upper, lower, digit, symbol).',
    fix: 'Choose a longer password that mixes character classes.',
  },
  IDB_ERR_SIGNIN_FAILED: {
    status: 401,
    message: 'Your account or password is incorrect.',
    cause: 'Wrong password, unknown account, or a disabled account (the page does not say which).',
    fix: 'The audit log entry for this support code names the reason.',
  },
  IDB_ERR_SIGNIN_UNAVAILABLE: {
    status: 503,
    message: 'We cannot check your password right now. Try again in a few minutes.',
    cause:
      'The user is synced and has no password hash in the tenant yet, so the password is checked in AD through an agent (pass-through), and no agent answered.',
    fix: 'Start an agent (`idbridge agent run`), or turn on password hash sync so the tenant can check passwords on its own.',
  },
  IDB_ERR_SIGNIN_LOCKED: {
    status: 429,
    message: 'Your account is temporarily locked to prevent unauthorized use. Try again later.',
    cause: 'Smart lockout: 10 failed sign-ins with different wrong passwords. The lock grows on repeats.',
    fix: 'Wait for the lock to pass, or reset the password; repeated locks can mean a password-spray attack.',
  },
  IDB_ERR_SESSION_REVOKED: {
    status: 401,
    message: 'Your session has ended. Sign in again.',
    cause: 'The session was issued before the user\'s "sessions valid from" timestamp.',
    fix: 'Nothing: the user was signed out on purpose (password change or revocation).',
  },
  IDB_ERR_CONFIG_INVALID: {
    status: 500,
    message: 'The service is misconfigured.',
    cause: 'A config file key or environment override has the wrong form; the error names the key.',
    fix: 'Correct the named key in the config file or the environment.',
  },
  IDB_ERR_STORE_LOCKED: {
    status: 500,
    message: 'The service is misconfigured.',
    cause: 'Another idbridge process holds the embedded store file open.',
    fix: 'Stop the other process, or point this one at its own dataDir. For several nodes, use PostgreSQL (DATABASE_URL).',
  },
  IDB_ERR_STORE_UNAVAILABLE: {
    status: 503,
    message: 'The service is temporarily unavailable. Try again in a moment.',
    cause: 'The database did not answer or refused the connection.',
    fix: 'Check that PostgreSQL is running and DATABASE_URL is right, or that the embedded store disk is not full.',
  },
  IDB_ERR_STORE_FULL: {
    status: 507,
    message: 'The service cannot save changes right now. Try again later.',
    cause:
      'The disk that holds the store is full (SQLITE_FULL for the embedded store, disk_full for PostgreSQL). The write was refused and rolled back, so nothing was half-saved; reads still work.',
    fix: 'Free space on the volume of dataDir (or of the database server). Writes resume by themselves, without a restart.',
  },
  IDB_ERR_RATE_LIMITED: {
    status: 429,
    message: 'Too many requests. Try again later.',
    cause: 'A client exceeded the request rate for this endpoint.',
    fix: 'Slow the client down.',
  },
  IDB_ERR_AGENT_REGISTRATION_TOKEN: {
    status: 401,
    message: 'The registration token is not valid.',
    cause: 'The agent registration token is unknown, was already used, or is older than 1 hour.',
    fix: 'Create a new token with `idbridge agent token create` (or POST /api/v1/agents/registration-tokens) and register again.',
  },
  IDB_ERR_INTERNAL: {
    status: 500,
    message: 'Something went wrong on our side.',
    cause: 'An unexpected error; the log entry with this support code has the stack.',
    fix: 'Look up the support code in the service log and report it if it repeats.',
  },
} as const satisfies Record<string, ErrorDefinition>
