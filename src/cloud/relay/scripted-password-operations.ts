/** @module A test PasswordOperationSender: answers from a script and records what it was asked, without an agent. */
import { randomUUID } from 'node:crypto'
import { IdbridgeError, type Result } from '../../errors/idbridge-error.ts'
import type { ErrorCode } from '../../errors/error-catalogue.ts'
import type { PasswordOperationRequest, PasswordOperationSender, RelayedResult } from './writeback-relay.ts'

export type ScriptedAnswer =
  | { ok: true }
  | { ok: false; code: ErrorCode; data?: Record<string, string | number | boolean | null> }

/** Records operations without their passwords, so a test can scan it like any other store. */
export class ScriptedPasswordOperations implements PasswordOperationSender {
  readonly received: Omit<PasswordOperationRequest, 'password' | 'oldPassword'>[] = []
  /** Answers in order; when empty, every operation succeeds. */
  readonly script: ScriptedAnswer[] = []
  /** The one check a fake can do for `verify`: the password the test says AD holds. */
  adPassword: string | undefined

  async submit(_tenantId: string, request: PasswordOperationRequest): Promise<Result<RelayedResult>> {
    const { password, oldPassword, ...rest } = request
    this.received.push(rest)
    const trackingId = randomUUID()
    if (request.operation === 'verify' && password !== this.adPassword) {
      return { ok: false, error: new IdbridgeError('IDB_ERR_WB_INCORRECT_PASSWORD', { data: { eventId: 33007 } }) }
    }
    if (request.operation === 'change' && this.adPassword !== undefined && oldPassword !== this.adPassword) {
      return { ok: false, error: new IdbridgeError('IDB_ERR_WB_INCORRECT_PASSWORD', { data: { eventId: 33007 } }) }
    }
    const answer = this.script.shift() ?? { ok: true }
    if (!answer.ok) return { ok: false, error: new IdbridgeError(answer.code, { data: { ...answer.data, trackingId } }) }
    if (password !== undefined && request.operation !== 'verify') this.adPassword = password
    return {
      ok: true,
      value: {
        trackingId,
        operation: request.operation,
        unlocked: request.unlockUser,
        historyEnforced: request.operation === 'change',
        pwdLastSet: request.forceChangePasswordNextLogon ? 'mustChange' : request.operation === 'unlock' ? 'unchanged' : 'normal',
        domainController: 'ldaps://dc.test',
      },
    }
  }
}
