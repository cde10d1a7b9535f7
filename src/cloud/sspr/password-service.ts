/** @module Resets, unlocks and changes passwords: in the tenant for cloud users, in AD through the relay for synced ones. */
import { checkPassword } from '../../crypto/password-verifier.ts'
import { createScryptVerifier } from '../../crypto/scrypt-verifier.ts'
import type { Logger } from 'pino'
import { IdbridgeError, type Result } from '../../errors/idbridge-error.ts'
import type { PasswordOperationKind } from '../../protocol/password-operation.ts'
import { storeFault } from '../../store/store-fault.ts'
import type { Store } from '../../store/store.ts'
import type { Tenant, User } from '../../store/store-records.ts'
import type { Clock } from '../../time/clock.ts'
import { activities, categories, services } from '../audit/audit-activities.ts'
import { afterSuccess } from '../auth/smart-lockout.ts'
import type { PasswordOperationSender } from '../relay/writeback-relay.ts'
import { checkPasswordCandidate } from './password-candidate.ts'
import { toUserError } from './writeback-outcome.ts'

/** Who asks, and under which correlation id the audit entries go. */
export interface PasswordActor {
  readonly name: string
  readonly correlationId: string
}

export interface PasswordOutcome {
  /** True when AD took the change; false for a cloud-managed user. */
  readonly onPremises: boolean
  readonly trackingId: string | null
  /** False when a reset went to a DC without the policy-hints control, so AD did not apply history. */
  readonly historyEnforced: boolean
  readonly unlocked: boolean
}

export interface PasswordServiceDeps {
  readonly store: Store
  readonly clock: Clock
  readonly relay: PasswordOperationSender
  /** How long a page waits for AD through the agent. */
  readonly waitMs: number
  /** Where an outcome that could not be audited is reported instead. */
  readonly logger?: Logger
}

type Kind = 'reset' | 'unlock' | 'change' | 'adminReset'

const auditActivity: Record<Kind, string> = {
  reset: activities.ssprReset,
  unlock: activities.ssprUnlock,
  change: activities.ssprChange,
  adminReset: activities.adminReset,
}

const fail = (error: IdbridgeError): Result<never> => ({ ok: false, error })

export class PasswordService {
  readonly #d: PasswordServiceDeps
  constructor(deps: PasswordServiceDeps) {
    this.#d = deps
  }

  /**
   * The tenant's checks before anything leaves it: confirmation, length, banned passwords, and the
   * cloud policy for cloud-managed users (AD's policy applies to synced ones, in AD).
   */
  checkCandidate(tenant: Tenant, user: User, password: string, confirmation?: string): Result<void> {
    return checkPasswordCandidate(tenant, user, password, confirmation)
  }

  /** Audits a candidate the tenant refused before sending, e.g. FuzzyPolicyViolationInvalidPassword. */
  async recordRefusal(tenant: Tenant, user: User, actor: PasswordActor, kind: Kind, error: IdbridgeError): Promise<void> {
    await this.#audit(tenant, user, actor, auditActivity[kind], 'failure', failureReason(error), { code: error.code })
  }

  /** SSPR "I forgot my password": a reset, which also unlocks the account, as the reference does by default. */
  resetBySelf(tenant: Tenant, user: User, password: string, actor: PasswordActor): Promise<Result<PasswordOutcome>> {
    return this.#run('reset', tenant, user, actor, { password, unlockUser: true })
  }

  /** SSPR "I know my password but still can't sign in": clears the lockout only. */
  unlockBySelf(tenant: Tenant, user: User, actor: PasswordActor): Promise<Result<PasswordOutcome>> {
    return this.#run('unlock', tenant, user, actor, { unlockUser: true })
  }

  changeBySelf(
    tenant: Tenant,
    user: User,
    oldPassword: string,
    password: string,
    actor: PasswordActor,
  ): Promise<Result<PasswordOutcome>> {
    return this.#run('change', tenant, user, actor, { password, oldPassword, unlockUser: false })
  }

  resetByAdmin(
    tenant: Tenant,
    user: User,
    password: string,
    options: { forceChangePasswordNextSignIn: boolean },
    actor: PasswordActor,
  ): Promise<Result<PasswordOutcome>> {
    return this.#run('adminReset', tenant, user, actor, {
      password,
      unlockUser: true,
      forceChange: options.forceChangePasswordNextSignIn,
    })
  }

  /** Pass-through sign-in: asks AD, through the agent, whether the password is right. Writes nothing. */
  async verifyOnPremises(tenant: Tenant, user: User, password: string): Promise<Result<void>> {
    const result = await this.#d.relay.submit(tenant.id, this.#request('verify', user, { password, unlockUser: false }), {
      waitMs: Math.min(this.#d.waitMs, 15_000),
    })
    return result.ok ? { ok: true, value: undefined } : result
  }

  async #run(
    kind: Kind,
    tenant: Tenant,
    user: User,
    actor: PasswordActor,
    input: { password?: string; oldPassword?: string; unlockUser: boolean; forceChange?: boolean },
  ): Promise<Result<PasswordOutcome>> {
    const selfService = kind !== 'adminReset'
    if (selfService && kind !== 'unlock') await this.#progress(tenant, user, actor, 'User submitted a new password')
    const outcome = user.onPremises?.syncEnabled
      ? await this.#onPremises(kind, tenant, user, input)
      : await this.#inCloud(kind, tenant, user, input)
    await this.#record(kind, tenant, user, actor, outcome).catch((error: unknown) => {
      // AD may already hold the new password: a store outage while auditing must not replace what
      // happened with "try again". The operator finds the missing entries (and, after a success,
      // the sessions that were not revoked) in the log instead.
      const fault = storeFault(error)
      if (!fault) throw error
      this.#d.logger?.error(
        { err: error, code: fault.code, userId: user.id, kind, ok: outcome.ok, correlationId: actor.correlationId },
        'password outcome not audited',
      )
    })
    return outcome
  }

  async #record(kind: Kind, tenant: Tenant, user: User, actor: PasswordActor, outcome: Result<PasswordOutcome>) {
    if (outcome.ok) return this.#recordSuccess(kind, tenant, user, actor, outcome.value)
    await this.#audit(tenant, user, actor, auditActivity[kind], 'failure', failureReason(outcome.error), {
      agentCode: String(outcome.error.data?.agentCode ?? ''),
      trackingId: String(outcome.error.data?.trackingId ?? ''),
    })
    if (kind !== 'adminReset') {
      await this.#progress(tenant, user, actor, `User's ${kind} failed`, failureReason(outcome.error))
    }
  }

  async #onPremises(
    kind: Kind,
    tenant: Tenant,
    user: User,
    input: { password?: string; oldPassword?: string; unlockUser: boolean; forceChange?: boolean },
  ): Promise<Result<PasswordOutcome>> {
    const sent = await this.#d.relay.submit(tenant.id, this.#request(kind, user, input), { waitMs: this.#d.waitMs })
    if (!sent.ok) return fail(toUserError(sent.error))
    const { trackingId, historyEnforced, unlocked } = sent.value
    // AD took it. A user whose hash PHS syncs gets the new password here at once (and loses a
    // temporary one's "must change"); the next sync replaces it with AD's own hash.
    const { store } = this.#d
    if (input.password && (await store.credentials.get(tenant.id, user.id))) {
      const verifier = await createScryptVerifier(input.password)
      await store.credentials.set(tenant.id, user.id, { verifier, mustChange: input.forceChange ?? false })
    }
    return { ok: true, value: { onPremises: true, trackingId, historyEnforced, unlocked } }
  }

  async #inCloud(
    kind: Kind,
    tenant: Tenant,
    user: User,
    input: { password?: string; oldPassword?: string; forceChange?: boolean },
  ): Promise<Result<PasswordOutcome>> {
    const { store } = this.#d
    if (kind === 'unlock') {
      await store.lockouts.put(tenant.id, user.id, afterSuccess(this.#d.clock.now()))
      return { ok: true, value: { onPremises: false, trackingId: null, historyEnforced: false, unlocked: true } }
    }
    if (kind === 'change') {
      const credential = await store.credentials.get(tenant.id, user.id)
      if (!credential || !(await checkPassword(credential.verifier, input.oldPassword ?? ''))) {
        return fail(new IdbridgeError('SSPR_WRONG_PASSWORD', { detail: 'the current password did not verify' }))
      }
    }
    const verifier = await createScryptVerifier(input.password!)
    await store.credentials.set(tenant.id, user.id, { verifier, mustChange: input.forceChange ?? false })
    await store.lockouts.put(tenant.id, user.id, afterSuccess(this.#d.clock.now()))
    return { ok: true, value: { onPremises: false, trackingId: null, historyEnforced: false, unlocked: true } }
  }

  #request(
    kind: PasswordOperationKind,
    user: User,
    input: { password?: string; oldPassword?: string; unlockUser: boolean; forceChange?: boolean },
  ) {
    return {
      operation: kind,
      cloudAnchor: `User_${user.id}`,
      sourceAnchor: user.onPremises!.immutableId,
      userPrincipalName: user.userPrincipalName,
      ...(input.password === undefined ? {} : { password: input.password }),
      ...(input.oldPassword === undefined ? {} : { oldPassword: input.oldPassword }),
      unlockUser: input.unlockUser,
      forceChangePasswordNextLogon: input.forceChange ?? false,
    }
  }

  async #recordSuccess(kind: Kind, tenant: Tenant, user: User, actor: PasswordActor, outcome: PasswordOutcome) {
    const { store, clock } = this.#d
    const details = {
      trackingId: outcome.trackingId ?? '',
      onPremises: String(outcome.onPremises),
      historyEnforced: String(outcome.historyEnforced),
    }
    if (kind !== 'unlock') {
      const core = kind === 'change' ? activities.changeUserPassword : activities.resetUserPassword
      await this.#audit(tenant, user, actor, core, 'success', null, details, services.coreDirectory)
      // Like the reference, a new password ends every session that the old one opened.
      await store.users.revokeSessions(tenant.id, user.id, clock.now())
      await this.#audit(tenant, user, actor, activities.revokeSessions, 'success', null, {}, services.coreDirectory)
    }
    const extra: Record<string, string> =
      kind === 'adminReset'
        ? { OnPremisesAgent: outcome.onPremises ? 'idbridge agent' : 'None' }
        : { result: kind === 'reset' ? 'Successfully completed reset.' : 'Successfully completed.' }
    await this.#audit(tenant, user, actor, auditActivity[kind], 'success', null, { ...details, ...extra })
    if (kind === 'reset') await this.#progress(tenant, user, actor, 'User successfully reset password')
    if (kind === 'unlock') await this.#progress(tenant, user, actor, 'User successfully unlocked account')
  }

  #progress(tenant: Tenant, user: User, actor: PasswordActor, step: string, failure: string | null = null) {
    return this.#audit(tenant, user, actor, activities.ssprProgress, failure ? 'failure' : 'success', failure, { step })
  }

  async #audit(
    tenant: Tenant,
    user: User,
    actor: PasswordActor,
    activity: string,
    result: 'success' | 'failure',
    failureReason: string | null,
    details: Record<string, string>,
    service: string = services.sspr,
  ): Promise<void> {
    await this.#d.store.audit.append({
      tenantId: tenant.id,
      activity,
      service,
      category: categories.user,
      actor: actor.name,
      target: user.userPrincipalName,
      result,
      failureReason,
      correlationId: actor.correlationId,
      details: { userId: user.id, ...details },
    })
  }
}

function failureReason(error: IdbridgeError): string {
  const fuzzy = error.data?.failureReason
  if (typeof fuzzy === 'string') return fuzzy
  const agentCode = error.data?.agentCode
  return typeof agentCode === 'string' ? `${error.code} (${agentCode})` : error.code
}

