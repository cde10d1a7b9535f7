/** @module Writeback failure codes with their reference event IDs and messages, and how DC faults map to them. */
import { IdbridgeError } from '../../errors/idbridge-error.ts'
import type { writebackErrorCodes } from '../../errors/writeback-error-codes.ts'
import type { DirectoryFault } from './writeback-directory.ts'

export type WritebackCode = keyof typeof writebackErrorCodes

/** A failure's `data`: primitives only, so it travels over the channel and into events unchanged. */
export type FailureData = Record<string, string | number | boolean | null>

/** Each code's reference event (§2.9) and the message the reference logs for it. */
export const writebackFailures: Record<WritebackCode, { eventId: number; message: string }> = {
  IDB_ERR_WB_DECRYPTION: {
    eventId: 32004,
    message: "The password package could not be decrypted with the agent's key.",
  },
  IDB_ERR_WB_INVALID_REQUEST: { eventId: 32003, message: 'The password request is not valid.' },
  IDB_ERR_WB_EXPIRED: { eventId: 32003, message: 'The password request expired before the agent received it.' },
  IDB_ERR_WB_USER_NOT_FOUND: { eventId: 33002, message: 'The operation failed because the object could not be found.' },
  IDB_ERR_WB_MULTIPLE_MATCHES: { eventId: 33003, message: 'Multiple matches found for the source anchor.' },
  IDB_ERR_WB_PROTECTED_ACCOUNT: {
    eventId: 33004,
    message: 'The password could not be updated because the management agent credentials were denied access.',
  },
  IDB_ERR_WB_ACCESS_DENIED: {
    eventId: 33004,
    message: 'Requesting user was denied access to perform the operation on a privileged account.',
  },
  IDB_ERR_WB_ACCOUNT_DISABLED: { eventId: 33005, message: 'The user account is disabled.' },
  IDB_ERR_WB_ACCOUNT_LOCKED: { eventId: 33006, message: 'The user account is locked out.' },
  IDB_ERR_WB_PASSWORD_EXPIRED: {
    eventId: 33001,
    message: 'The password is correct but has expired or must be changed.',
  },
  IDB_ERR_WB_INCORRECT_PASSWORD: { eventId: 33007, message: 'The specified password is not correct.' },
  IDB_ERR_WB_POLICY: {
    eventId: 33008,
    message: 'A restriction prevents the password from being changed to the current one specified.',
  },
  IDB_ERR_WB_NO_POLICY_CONTROL: {
    eventId: 6329,
    message: "The server doesn't contain the LDAP password policy control.",
  },
  IDB_ERR_WB_DC_UNAVAILABLE: { eventId: 33001, message: 'No preferred domain controller could be reached.' },
  IDB_ERR_WB_OUTCOME_UNKNOWN: {
    eventId: 32000,
    message:
      'The connection to the domain controller broke after the write was sent; AD may or may not have applied it.',
  },
  IDB_ERR_WB_AD_ERROR: { eventId: 33001, message: 'Active Directory refused the operation.' },
}

/** The fault's codes, always present (null when there are none), as every DC failure carries them. */
export function faultData(fault: DirectoryFault | null): FailureData {
  return {
    dc: fault?.dc ?? null,
    ldapResultCode: fault?.ldapResultCode ?? null,
    adDataCode: fault?.adDataCode ?? null,
    systemCode: fault?.systemCode ?? null,
  }
}

/** Builds the error: detail = the reference message plus what happened; data gets the event ID. */
export function writebackFailure(code: WritebackCode, detail: string, data: FailureData): IdbridgeError {
  const { eventId, message } = writebackFailures[code]
  return new IdbridgeError(code, {
    detail: detail ? `${message} ${detail}` : message,
    data: { eventId, ...faultData(null), ...data },
  })
}

/** Where a fault happened decides what an LDAP code means: 49 on the connector's bind is not the user's password. */
export type FaultPhase = 'open' | 'read' | 'write' | 'verify'

/** What a fault means; `policy` asks the executor to diagnose the refusal first. */
export type FaultMeaning = { kind: 'code'; code: WritebackCode } | { kind: 'policy' } | { kind: 'retry' }

const bindCodes: Record<string, WritebackCode> = {
  '52e': 'IDB_ERR_WB_INCORRECT_PASSWORD',
  '533': 'IDB_ERR_WB_ACCOUNT_DISABLED',
  '775': 'IDB_ERR_WB_ACCOUNT_LOCKED',
  '532': 'IDB_ERR_WB_PASSWORD_EXPIRED',
  '773': 'IDB_ERR_WB_PASSWORD_EXPIRED',
}

/**
 * The one table from a DC's answer to a writeback code. A fault without any LDAP answer before
 * the write is `retry` (the next preferred DC may answer); after the write it is never retried.
 */
export function faultMeaning(fault: DirectoryFault, phase: FaultPhase, change: boolean): FaultMeaning {
  if (fault.afterSend) return { kind: 'code', code: 'IDB_ERR_WB_OUTCOME_UNKNOWN' }
  if (fault.ldapResultCode === null) return phase === 'verify' ? code('IDB_ERR_WB_DC_UNAVAILABLE') : { kind: 'retry' }
  const ad = fault.adDataCode?.replace(/^0+/, '') ?? null
  if (phase === 'open') return code('IDB_ERR_WB_AD_ERROR')
  if (phase === 'verify' && fault.ldapResultCode === 49 && ad && bindCodes[ad]) return code(bindCodes[ad]!)
  if (phase === 'write' && fault.ldapResultCode === 19) {
    if (ad === '52d') return { kind: 'policy' }
    // AD and Samba both answer a wrong old password on delete/add with ERROR_INVALID_PASSWORD (86).
    if (ad === '56' && change) return code('IDB_ERR_WB_INCORRECT_PASSWORD')
    // Samba's acl module refuses a change the DACL denies ("user cannot change password") without a data code.
    if (ad === null && change) return { kind: 'policy' }
  }
  if (phase === 'write' && change && fault.ldapResultCode === 49 && ad === '52e') {
    return code('IDB_ERR_WB_INCORRECT_PASSWORD')
  }
  if (fault.ldapResultCode === 50 || ad === '2098' || ad === '5') return code('IDB_ERR_WB_ACCESS_DENIED')
  if (fault.ldapResultCode === 32) return code('IDB_ERR_WB_USER_NOT_FOUND')
  return code('IDB_ERR_WB_AD_ERROR')
}

function code(value: WritebackCode): FaultMeaning {
  return { kind: 'code', code: value }
}

/** Every failure names its tracking id and operation, so the tenant's admin view can match the agent's events. */
export function withTracking(error: IdbridgeError, trackingId: string, operation: string): IdbridgeError {
  return new IdbridgeError(error.code, {
    detail: error.detail,
    cause: error.cause,
    data: { ...error.data, trackingId, operation },
  })
}
