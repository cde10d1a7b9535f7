/** @module Maps ldapts, socket and TLS failures to catalogue errors that name the DC and the fix. */
import type { ErrorCode } from '../../errors/error-catalogue.ts'
import { IdbridgeError } from '../../errors/idbridge-error.ts'

/** What `data` of every directory error carries; events copy it verbatim. */
export interface DirectoryErrorData {
  readonly dc: string
  /** The LDAP result code, or null for socket and TLS failures. */
  readonly ldapResultCode: number | null
  /** The Win32 code AD puts in the diagnostic text (`data 52e`, `0000052D: …`), lower-case hex, or null. */
  readonly adDataCode: string | null
  /** The socket or TLS error code (ECONNREFUSED, UNABLE_TO_VERIFY_LEAF_SIGNATURE), or null. */
  readonly systemCode: string | null
}

const unreachable = new Set([
  'ECONNREFUSED',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ECONNRESET',
  'EAI_AGAIN',
  'EPIPE',
])
const untrusted = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_UNTRUSTED',
  'CERT_SIGNATURE_FAILURE',
])

/** AD sub-codes of a failed simple bind (LDAP 49), as they appear after `data `. */
const bindSubCodes: Record<string, ErrorCode> = {
  '52e': 'AGENT_ERR_DC_BAD_CREDENTIALS',
  '525': 'AGENT_ERR_DC_BAD_CREDENTIALS',
  '775': 'AGENT_ERR_DC_ACCOUNT_LOCKED',
  '532': 'AGENT_ERR_DC_PASSWORD_EXPIRED',
  '773': 'AGENT_ERR_DC_PASSWORD_EXPIRED',
  '530': 'AGENT_ERR_DC_ACCOUNT_RESTRICTED',
  '531': 'AGENT_ERR_DC_ACCOUNT_RESTRICTED',
  '533': 'AGENT_ERR_DC_ACCOUNT_RESTRICTED',
  '701': 'AGENT_ERR_DC_ACCOUNT_RESTRICTED',
}

const resultCodes: Record<number, ErrorCode> = {
  3: 'AGENT_ERR_DC_TIMEOUT',
  8: 'AGENT_ERR_DC_CONFIDENTIALITY_REQUIRED',
  11: 'AGENT_ERR_DC_BUSY',
  12: 'AGENT_ERR_DC_DIRSYNC_REFUSED',
  13: 'AGENT_ERR_DC_CONFIDENTIALITY_REQUIRED',
  32: 'AGENT_ERR_DC_NO_SUCH_OBJECT',
  49: 'AGENT_ERR_DC_BAD_CREDENTIALS',
  50: 'AGENT_ERR_DC_INSUFFICIENT_RIGHTS',
  51: 'AGENT_ERR_DC_BUSY',
  52: 'AGENT_ERR_DC_BUSY',
  53: 'AGENT_ERR_DC_BUSY',
}

/**
 * Reads the AD Win32 code out of a diagnostic message. AD writes it two ways: `…, data 52e, v4563`
 * for binds and a leading `0000052D: …` for most other operations.
 */
export function parseAdDataCode(message: string): string | null {
  const data = /\bdata ([0-9a-f]{1,8})\b/i.exec(message)
  if (data) return data[1]!.toLowerCase()
  const leading = /^([0-9a-f]{8}):/i.exec(message.trim())
  return leading ? leading[1]!.toLowerCase() : null
}

function fieldOf(err: unknown, key: string): unknown {
  return typeof err === 'object' && err !== null ? (err as Record<string, unknown>)[key] : undefined
}

function codeFor(ldap: number | null, ad: string | null, system: string | null, message: string): ErrorCode {
  if (system && unreachable.has(system)) return 'AGENT_ERR_DC_UNREACHABLE'
  if (system && untrusted.has(system)) return 'AGENT_ERR_DC_CERT_UNTRUSTED'
  if (system === 'ERR_TLS_CERT_ALTNAME_INVALID') return 'AGENT_ERR_DC_CERT_NAME_MISMATCH'
  if (ldap === 49 && ad && bindSubCodes[ad.replace(/^0+/, '')]) return bindSubCodes[ad.replace(/^0+/, '')]!
  if (ad === '0000052d') return 'AGENT_ERR_DC_PASSWORD_POLICY'
  if (ad === '00002098' || ad === '00000005') return 'AGENT_ERR_DC_INSUFFICIENT_RIGHTS'
  if (ldap !== null) return resultCodes[ldap] ?? 'AGENT_ERR_DC_LDAP_ERROR'
  // ldapts reports its own timers as plain Errors without a code.
  if (/Connection timeout|timed out/i.test(message))
    return /Connection/.test(message) ? 'AGENT_ERR_DC_UNREACHABLE' : 'AGENT_ERR_DC_TIMEOUT'
  if (/Connection closed|Socket error|socket hang up/i.test(message)) return 'AGENT_ERR_DC_UNREACHABLE'
  return 'AGENT_ERR_DC_LDAP_ERROR'
}

function fixFor(code: ErrorCode, dc: string): string {
  switch (code) {
    case 'AGENT_ERR_DC_BAD_CREDENTIALS':
      return `check the connector bind DN and password configured for ${dc}`
    case 'AGENT_ERR_DC_UNREACHABLE':
      return `check that ${dc} is up, resolves, and that its LDAP port is open from this host`
    case 'AGENT_ERR_DC_CERT_UNTRUSTED':
      return `configure the CA certificate that issued the certificate of ${dc}`
    case 'AGENT_ERR_DC_CERT_NAME_MISMATCH':
      return `connect to ${dc} by a name listed in its certificate's subjectAltName`
    case 'AGENT_ERR_DC_INSUFFICIENT_RIGHTS':
      return `grant the connector account the documented rights on ${dc}'s domain`
    default:
      return `see the catalogue entry for ${code}`
  }
}

/**
 * One place that turns whatever ldapts or Node threw into a catalogue error for `dc`.
 *
 * @example
 * catch (err) { return { ok: false, error: classifyDirectoryError(err, 'ldaps://dc1.contoso.test') } }
 */
export function classifyDirectoryError(err: unknown, dc: string): IdbridgeError {
  if (IdbridgeError.is(err)) return err
  const message = err instanceof Error ? err.message : String(err)
  const rawCode = fieldOf(err, 'code')
  const ldapResultCode = typeof rawCode === 'number' ? rawCode : null
  const systemCode = typeof rawCode === 'string' ? rawCode : null
  const adDataCode = ldapResultCode === null ? null : parseAdDataCode(message)
  const code = codeFor(ldapResultCode, adDataCode, systemCode, message)
  const what = [
    ldapResultCode === null ? null : `LDAP result ${ldapResultCode}`,
    adDataCode ? `AD data ${adDataCode}` : null,
    systemCode,
  ].filter(Boolean)
  const data: DirectoryErrorData = { dc, ldapResultCode, adDataCode, systemCode }
  const detail = `${dc}: ${message.replace(/\s*Code: 0x[0-9a-f]+$/i, '')}${what.length ? ` (${what.join(', ')})` : ''}; ${fixFor(code, dc)}.`
  return new IdbridgeError(code, { detail, cause: err, data: { ...data } })
}

/** The data of a directory error, for events; tolerant of errors from elsewhere. */
export function directoryErrorData(error: IdbridgeError): DirectoryErrorData {
  const data = error.data ?? {}
  return {
    dc: typeof data.dc === 'string' ? data.dc : '',
    ldapResultCode: typeof data.ldapResultCode === 'number' ? data.ldapResultCode : null,
    adDataCode: typeof data.adDataCode === 'string' ? data.adDataCode : null,
    systemCode: typeof data.systemCode === 'string' ? data.systemCode : null,
  }
}
