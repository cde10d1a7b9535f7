/** @module One password operation on one bound DC session: find, guard, write, and map what AD said. */
import type { IdbridgeError, Result } from '../../errors/idbridge-error.ts'
import type { PasswordOperationResult, PasswordPackage } from '../../protocol/password-operation.ts'
import { diagnosePolicyRefusal } from './diagnose-policy-refusal.ts'
import { POLICY_HINTS_DEPRECATED_OID, POLICY_HINTS_OID } from './policy-hints-control.ts'
import { unicodePwdValue, wipe } from './unicode-pwd.ts'
import type { WritebackSettings } from './writeback-settings.ts'
import type {
  AccountStateWrite,
  DirectoryFault,
  Outcome,
  WritebackSession,
  WritebackUser,
} from './writeback-directory.ts'
import { type FaultPhase, faultData, faultMeaning, writebackFailure } from './writeback-failure.ts'

const ACCOUNTDISABLE = 0x2
const DONT_EXPIRE_PASSWORD = 0x10000

/** `retry`: the DC stopped answering before anything was written, so the next preferred DC may be tried. */
export type Applied =
  | { kind: 'done'; result: Result<PasswordOperationResult>; warning?: IdbridgeError }
  | { kind: 'retry'; fault: DirectoryFault }

export interface ApplyContext {
  readonly session: WritebackSession
  readonly pkg: PasswordPackage
  /** The decoded sourceAnchor, 16 bytes. */
  readonly anchor: Buffer
  readonly settings: WritebackSettings
  readonly now: number
}

const done = (result: Result<PasswordOperationResult>): Applied => ({ kind: 'done', result })
const fail = (error: IdbridgeError): Applied => done({ ok: false, error })

/** A fault in a read or a write, mapped by the one table in writeback-failure.ts. */
function fromFault(fault: DirectoryFault, phase: FaultPhase, change: boolean): Applied {
  const meaning = faultMeaning(fault, phase, change)
  if (meaning.kind === 'retry') return { kind: 'retry', fault }
  const code = meaning.kind === 'code' ? meaning.code : 'IDB_ERR_WB_AD_ERROR'
  return fail(writebackFailure(code, `${fault.dc}: ${fault.diagnostic}`, faultData(fault)))
}

async function read<T>(outcome: Promise<Outcome<T>>): Promise<{ value: T } | { applied: Applied }> {
  const result = await outcome
  return result.ok ? { value: result.value } : { applied: fromFault(result.fault, 'read', false) }
}

/**
 * pwdLastSet for a write: 0 when the tenant asked for "must change", except on a user whose
 * password never expires (reference §2.5: the flag is not set there); -1 after a reset so the
 * new password counts from now; nothing after a change, which stamps pwdLastSet itself.
 */
function pwdLastSetFor(pkg: PasswordPackage, user: WritebackUser): AccountStateWrite['pwdLastSet'] {
  const neverExpires = (user.userAccountControl & DONT_EXPIRE_PASSWORD) !== 0
  if (pkg.forceChangePasswordNextLogon && !neverExpires) return '0'
  return pkg.operation === 'reset' || pkg.operation === 'adminReset' ? '-1' : undefined
}

function result(
  context: ApplyContext,
  unlocked: boolean,
  historyEnforced: boolean,
  pwdLastSet: AccountStateWrite['pwdLastSet'],
): PasswordOperationResult {
  return {
    trackingId: context.pkg.trackingId,
    operation: context.pkg.operation,
    unlocked,
    historyEnforced,
    pwdLastSet: pwdLastSet === '0' ? 'mustChange' : pwdLastSet === '-1' ? 'normal' : 'unchanged',
    domainController: context.session.dc,
  }
}

/** Runs the operation on the session. Passwords become UTF-16 buffers only around the write and are wiped after. */
export async function applyPasswordOperation(context: ApplyContext): Promise<Applied> {
  const { session, pkg } = context
  const found = await read(session.findByAnchor(context.anchor))
  if ('applied' in found) return found.applied
  if (found.value.length === 0) {
    const detail = `No user under the base DN has sourceAnchor ${pkg.sourceAnchor}.`
    return fail(writebackFailure('IDB_ERR_WB_USER_NOT_FOUND', detail, { dc: session.dc }))
  }
  if (found.value.length > 1) {
    const dns = found.value.map((u) => u.dn).join('; ')
    const detail = `sourceAnchor ${pkg.sourceAnchor} matches ${dns}.`
    const data = { dc: session.dc, matches: found.value.length }
    return fail(writebackFailure('IDB_ERR_WB_MULTIPLE_MATCHES', detail, data))
  }
  const user = found.value[0]!
  const op = pkg.operation
  if ((op === 'change' || op === 'verify') && (user.userAccountControl & ACCOUNTDISABLE) !== 0) {
    return fail(writebackFailure('IDB_ERR_WB_ACCOUNT_DISABLED', `${user.dn} is disabled.`, { dc: session.dc }))
  }
  if (op === 'reset' || op === 'adminReset' || op === 'unlock') {
    // A change proves the old password and needs only Change Password, so protected users may change.
    const member = user.adminCount === 1 ? { value: false } : await read(session.isProtectedMember(user))
    if ('applied' in member) return member.applied
    if (user.adminCount === 1 || member.value) {
      const reason = user.adminCount === 1 ? 'adminCount' : 'protectedGroup'
      const why = reason === 'adminCount' ? 'has adminCount=1' : 'is a member of a protected group'
      const detail = `${user.dn} ${why}; writeback never resets or unlocks protected accounts.`
      return fail(writebackFailure('IDB_ERR_WB_PROTECTED_ACCOUNT', detail, { dc: session.dc, reason }))
    }
  }
  if (op === 'verify') return verify(context, user)
  if (op === 'unlock') {
    const written = await session.writeState(user, { unlock: true })
    if (!written.ok) return fromFault(written.fault, 'write', false)
    return done({ ok: true, value: result(context, true, false, undefined) })
  }
  if (op === 'change') return change(context, user)
  return reset(context, user)
}

async function verify(context: ApplyContext, user: WritebackUser): Promise<Applied> {
  const checked = await context.session.verifyPassword(user, context.pkg.password!)
  if (!checked.ok) return fromFault(checked.fault, 'verify', false)
  return done({ ok: true, value: result(context, false, false, undefined) })
}

async function reset(context: ApplyContext, user: WritebackUser): Promise<Applied> {
  const { session, pkg } = context
  const hints = await read(session.policyHintsOid())
  if ('applied' in hints) return hints.applied
  if (hints.value === null && context.settings.withoutPolicyHints === 'refuse') {
    const detail = `${session.dc} advertises neither ${POLICY_HINTS_OID} nor ${POLICY_HINTS_DEPRECATED_OID}.`
    return fail(writebackFailure('IDB_ERR_WB_NO_POLICY_CONTROL', detail, { dc: session.dc }))
  }
  const pwdLastSet = pwdLastSetFor(pkg, user)
  const state: AccountStateWrite = { unlock: pkg.unlockUser, pwdLastSet }
  const value = unicodePwdValue(pkg.password!)
  let written: Outcome<void>
  try {
    written = await session.resetPassword(user, value, state, hints.value)
  } finally {
    wipe(value)
  }
  if (written.ok) return done({ ok: true, value: result(context, pkg.unlockUser, hints.value !== null, pwdLastSet) })
  return refusal(context, user, written.fault, hints.value !== null)
}

async function change(context: ApplyContext, user: WritebackUser): Promise<Applied> {
  const { session, pkg } = context
  const oldValue = unicodePwdValue(pkg.oldPassword!)
  const newValue = unicodePwdValue(pkg.password!)
  let written: Outcome<void>
  try {
    written = await session.changePassword(user, oldValue, newValue)
  } finally {
    wipe(oldValue, newValue)
  }
  if (!written.ok) return refusal(context, user, written.fault, true)
  // Unlocking only after the change succeeded: a wrong old password must never clear a lockout.
  const pwdLastSet = pwdLastSetFor(pkg, user)
  const state: AccountStateWrite = { unlock: pkg.unlockUser, pwdLastSet }
  const after = await session.writeState(user, state)
  if (after.ok) return done({ ok: true, value: result(context, pkg.unlockUser, true, pwdLastSet) })
  const { dc, diagnostic } = after.fault
  const warning = writebackFailure('IDB_ERR_WB_AD_ERROR', `${dc}: ${diagnostic}`, faultData(after.fault))
  return { kind: 'done', result: { ok: true, value: result(context, false, true, undefined) }, warning }
}

async function refusal(
  context: ApplyContext,
  user: WritebackUser,
  fault: DirectoryFault,
  historyEnforced: boolean,
): Promise<Applied> {
  const operation = context.pkg.operation as 'reset' | 'adminReset' | 'change'
  const meaning = faultMeaning(fault, 'write', operation === 'change')
  if (meaning.kind !== 'policy') return fromFault(fault, 'write', operation === 'change')
  const error = await diagnosePolicyRefusal({
    session: context.session,
    user,
    operation,
    candidate: context.pkg.password!,
    historyEnforced,
    fault,
    now: context.now,
  })
  return fail(error)
}
