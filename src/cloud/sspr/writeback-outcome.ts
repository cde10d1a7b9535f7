/** @module Turns what the relay and the agent answered into the code the user sees, keeping the agent's code for the admin. */
import type { ErrorCode } from '../../errors/error-catalogue.ts'
import { IdbridgeError } from '../../errors/idbridge-error.ts'

const userCodeFor: Partial<Record<ErrorCode, ErrorCode>> = {
  // The seed's "agent down" case: the user sees SSPR_0029 at once, the agent logs 31034.
  IDB_ERR_AGENT_OFFLINE: 'SSPR_0029',
  IDB_ERR_AGENT_TIMEOUT: 'SSPR_0030',
  IDB_ERR_WB_EXPIRED: 'SSPR_0030',
  IDB_ERR_WB_DC_UNAVAILABLE: 'SSPR_0030',
  IDB_ERR_AGENT_OUTCOME_UNKNOWN: 'SSPR_OUTCOME_UNKNOWN',
  IDB_ERR_WB_OUTCOME_UNKNOWN: 'SSPR_OUTCOME_UNKNOWN',
  IDB_ERR_WB_POLICY: 'SSPR_ONPREM_POLICY',
  IDB_ERR_WB_INCORRECT_PASSWORD: 'SSPR_WRONG_PASSWORD',
  // The tenant's own database, not the on-premises side: nothing was sent, so "try again" is right.
  IDB_ERR_STORE_UNAVAILABLE: 'IDB_ERR_STORE_UNAVAILABLE',
}

/** The event ID the agent logs for each of its codes, for the admin hint when the agent's own data lacks it. */
const eventFor: Partial<Record<ErrorCode, number>> = {
  IDB_ERR_AGENT_OFFLINE: 31034,
  IDB_ERR_WB_DECRYPTION: 32004,
  IDB_ERR_WB_INVALID_REQUEST: 32003,
  IDB_ERR_WB_EXPIRED: 32003,
  IDB_ERR_WB_USER_NOT_FOUND: 33002,
  IDB_ERR_WB_MULTIPLE_MATCHES: 33003,
  IDB_ERR_WB_PROTECTED_ACCOUNT: 33004,
  IDB_ERR_WB_ACCESS_DENIED: 33004,
  IDB_ERR_WB_ACCOUNT_DISABLED: 33005,
  IDB_ERR_WB_ACCOUNT_LOCKED: 33006,
  IDB_ERR_WB_INCORRECT_PASSWORD: 33007,
  IDB_ERR_WB_POLICY: 33008,
  IDB_ERR_WB_NO_POLICY_CONTROL: 6329,
  IDB_ERR_WB_OUTCOME_UNKNOWN: 32000,
  IDB_ERR_WB_AD_ERROR: 33001,
  IDB_ERR_WB_DC_UNAVAILABLE: 33001,
}

/**
 * The user-facing error for a failed writeback. `data.agentCode` and `data.eventId` stay on it for the
 * admin hint and the audit log; nothing the agent said about AD reaches the user beyond the root cause.
 */
export function toUserError(error: IdbridgeError): IdbridgeError {
  const agentCode = error.code
  const userCode = userCodeFor[agentCode] ?? (agentCode.startsWith('SSPR_') ? agentCode : 'SSPR_0029')
  const eventId = typeof error.data?.eventId === 'number' ? error.data.eventId : eventFor[agentCode] ?? null
  return new IdbridgeError(userCode, {
    detail: `${agentCode}${eventId ? ` (event ${eventId})` : ''}: ${error.detail ?? ''}`,
    cause: error,
    data: { ...error.data, agentCode, eventId },
  })
}
