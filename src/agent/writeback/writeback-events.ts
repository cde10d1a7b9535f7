/** @module Writeback events with the reference's IDs, sources and message shapes (§2.9, the seed's example log). */
import type { IdbridgeError } from '../../errors/idbridge-error.ts'
import type { PasswordOperationKind } from '../../protocol/password-operation.ts'
import type { AgentEvent } from '../events/agent-event.ts'

/** Who and what an operation is about; from the package, or only the clear header when it could not be opened. */
export interface OperationContext {
  readonly trackingId: string
  readonly operation: PasswordOperationKind
  readonly cloudAnchor?: string
  readonly sourceAnchor?: string
  readonly userPrincipalName?: string
}

type Phase = 'start' | 'success' | 'fail'
type Ids = Record<Phase, readonly [number, string]>

const reset: Ids = {
  start: [31001, 'PasswordResetStart'],
  success: [31002, 'PasswordResetSuccess'],
  fail: [31003, 'PasswordResetFail'],
}
// verify has no reference events: it logs only the specific failure of a DC or an envelope, so its row is never used.
const idsByOperation: Record<PasswordOperationKind, Ids> = {
  reset,
  unlock: reset,
  verify: reset,
  change: {
    start: [31006, 'ChangePasswordStart'],
    success: [31007, 'ChangePasswordSuccess'],
    fail: [31008, 'ChangePasswordFail'],
  },
  adminReset: {
    start: [31009, 'ResetUserPasswordByAdminStart'],
    success: [31010, 'ResetUserPasswordByAdminSuccess'],
    fail: [31011, 'ResetUserPasswordByAdminFail'],
  },
}

const failureNames: Record<number, string> = {
  32000: 'UnknownError',
  32003: 'InPutValidationError',
  32004: 'DecryptionError',
  33001: 'ADUnKnownError',
  33002: 'ADUserNotFoundError',
  33003: 'ADMutliMatchError',
  33004: 'ADPermissionsError',
  33005: 'ADUserAccountDisabled',
  33006: 'ADUserAccountLockedOut',
  33007: 'ADUserIncorrectPassword',
  33008: 'ADPasswordPolicyError',
}

const failureName = (eventId: number): string => failureNames[eventId] ?? 'Error'

/** `Context: cloudAnchor: …, SourceAnchorValue: …, UserPrincipalName: …`, or a note when the package stayed sealed. */
function details(context: OperationContext): string {
  if (context.cloudAnchor === undefined) return 'Details: Context: the password package could not be opened'
  const { cloudAnchor, sourceAnchor, userPrincipalName: upn } = context
  return `Details: Context: cloudAnchor: ${cloudAnchor}, SourceAnchorValue: ${sourceAnchor}, UserPrincipalName: ${upn}`
}

function base(context: OperationContext): Record<string, string> {
  return { trackingId: context.trackingId, operation: context.operation }
}

export function startEvent(context: OperationContext): AgentEvent {
  const [id, name] = idsByOperation[context.operation].start
  const message = `TrackingId: ${context.trackingId}, ${name}, ${details(context)}`
  return { id, source: 'PasswordResetService', level: 'information', message, data: base(context) }
}

export function successEvent(context: OperationContext, unblockUser: boolean, dc: string): AgentEvent {
  const [id, name] = idsByOperation[context.operation].success
  const unblock = unblockUser ? 'True' : 'False'
  const message = `TrackingId: ${context.trackingId}, ${name}, ${details(context)}, unblockUser: ${unblock}`
  return { id, source: 'PasswordResetService', level: 'information', message, data: { ...base(context), dc } }
}

/** 405 and 403, in the seed's order, once the connector is bound. */
export function bindEvents(domainName: string, connectorName: string, dc: string): AgentEvent[] {
  const who = `DomainName=${domainName}, UserName=${connectorName}`
  return [
    { id: 405, source: 'ADSync', level: 'information', message: `Call sync ldap_bind for ${who}.`, data: { dc } },
    {
      id: 403,
      source: 'PasswordResetService',
      level: 'information',
      message: `ImpersonationHelper call LogonUser for ${who}.`,
      data: { dc },
    },
  ]
}

function primitives(error: IdbridgeError): Record<string, string | number | boolean | null> {
  const out: Record<string, string | number | boolean | null> = { code: error.code }
  for (const [key, value] of Object.entries(error.data ?? {})) {
    if (value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
      out[key] = value
    }
  }
  return out
}

/**
 * The specific event (32004, 33002, 33008, 6329, …) followed by the operation's Fail event. 6329
 * comes from ADSync as in the reference; the rest from PasswordResetService.
 */
export function failureEvents(context: OperationContext, error: IdbridgeError): AgentEvent[] {
  const data = { ...base(context), ...primitives(error) }
  const eventId = typeof error.data?.eventId === 'number' ? error.data.eventId : 32000
  const detail = error.detail ?? error.code
  const specific: AgentEvent =
    eventId === 6329
      ? { id: 6329, source: 'ADSync', level: 'error', message: `MMS(3040): ${detail}`, data }
      : {
          id: eventId,
          source: 'PasswordResetService',
          level: 'error',
          message: `TrackingId: ${context.trackingId}, ${failureName(eventId)}, ${details(context)}, Error: ${detail}`,
          data,
        }
  // verify has no Fail event in the reference; it only reports the DC failure itself.
  if (context.operation === 'verify') return [specific]
  const [id, name] = idsByOperation[context.operation].fail
  const fail: AgentEvent = {
    id,
    source: 'PasswordResetService',
    level: 'error',
    message: `TrackingId: ${context.trackingId}, ${name}, ${details(context)}, Error: ${error.code}`,
    data,
  }
  return [specific, fail]
}

/** A change that succeeded but whose unlock or pwdLastSet write did not: the user's password did change. */
export function stateWriteWarning(context: OperationContext, error: IdbridgeError): AgentEvent {
  return {
    id: 33001,
    source: 'PasswordResetService',
    level: 'warning',
    message:
      `TrackingId: ${context.trackingId}, ADUnKnownError, ${details(context)}, Error: the password was changed, ` +
      `but clearing the lockout or setting pwdLastSet failed: ${error.detail ?? error.code}`,
    data: { ...base(context), ...primitives(error) },
  }
}
