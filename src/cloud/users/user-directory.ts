/** @module User administration in the tenant: the rules the admin API, the CLI and sync all go through. */

import { checkCloudPasswordPolicy, cloudPolicyMessages } from '../../crypto/cloud-password-policy.ts'
import { createScryptVerifier } from '../../crypto/scrypt-verifier.ts'
import { IdbridgeError, type Result } from '../../errors/idbridge-error.ts'
import type { Store } from '../../store/store.ts'
import type { NewAuditEvent, NewUser, Tenant, User, UserChanges } from '../../store/store-records.ts'
import type { Clock } from '../../time/clock.ts'
import { activities, categories, services } from '../audit/audit-activities.ts'

/** Who asks, for the audit log. */
export interface Actor {
  readonly name: string
  readonly correlationId: string
  /** The directory sync itself may write attributes that AD owns. */
  readonly isSync?: boolean
}

// AD is the source of truth for these on a synced user; the tenant may still manage roles,
// licenses and password policies, as the reference allows.
const adOwned = [
  'userPrincipalName',
  'givenName',
  'surname',
  'displayName',
  'mail',
  'mobile',
  'accountEnabled',
  'onPremises',
] as const

export class UserDirectory {
  readonly #store: Store
  readonly #clock: Clock
  constructor(store: Store, clock: Clock) {
    this.#store = store
    this.#clock = clock
  }

  /** Creates the user and, when given, its password, in one transaction with the audit entry. */
  async create(tenant: Tenant, user: NewUser, actor: Actor, password?: string): Promise<Result<User>> {
    if (password !== undefined) {
      const policy = checkPassword(password)
      if (!policy.ok) return policy
    }
    const verifier = password === undefined ? undefined : await createScryptVerifier(password)
    return this.#store.transaction(async (tx) => {
      const created = await tx.users.create(tenant.id, user)
      if (!created.ok) return created
      if (verifier) await tx.credentials.set(tenant.id, created.value.id, { verifier, mustChange: false })
      await this.#audit(tx, tenant, actor, activities.addUser, created.value)
      return created
    })
  }

  /**
   * Creates many users without passwords (directory sync's new users) with their audit entries,
   * in a few statements. A user whose UPN or immutableId is taken comes back in `conflicts`.
   */
  async createMany(
    tenant: Tenant,
    users: readonly NewUser[],
    actor: Actor,
  ): Promise<{ created: User[]; conflicts: NewUser[] }> {
    if (users.length === 0) return { created: [], conflicts: [] }
    const done = await this.#store.transaction(async (tx) => {
      const result = await tx.users.createMany(tenant.id, users)
      await tx.audit.appendMany(result.created.map((user) => auditEvent(tenant, actor, activities.addUser, user)))
      return { ok: true, value: result }
    })
    if (!done.ok) throw done.error
    return done.value
  }

  async update(
    tenant: Tenant,
    id: string,
    changes: UserChanges,
    actor: Actor,
    options: { ifVersion?: number } = {},
  ): Promise<Result<User>> {
    const current = await this.#store.users.get(tenant.id, id)
    if (!current) return { ok: false, error: new IdbridgeError('IDB_ERR_NOT_FOUND', { detail: `user ${id}` }) }
    if (current.onPremises?.syncEnabled && !actor.isSync) {
      const blocked = adOwned.filter((key) => changes[key] !== undefined && !same(changes[key], current[key]))
      if (blocked.length > 0) {
        return {
          ok: false,
          error: new IdbridgeError('IDB_ERR_SYNCED_ATTRIBUTE', {
            detail: `${blocked.join(', ')} of ${current.userPrincipalName} is managed in Active Directory`,
            data: { scimType: 'mutability' },
          }),
        }
      }
    }
    return this.#store.transaction(async (tx) => {
      const updated = await tx.users.update(tenant.id, id, changes, options)
      if (!updated.ok) return updated
      if (changes.accountEnabled !== undefined && changes.accountEnabled !== current.accountEnabled) {
        const activity = changes.accountEnabled ? activities.enableAccount : activities.disableAccount
        await this.#audit(tx, tenant, actor, activity, updated.value)
      }
      await this.#audit(tx, tenant, actor, activities.updateUser, updated.value, {
        changed: Object.keys(changes).join(','),
      })
      // A disabled account keeps no live session.
      if (changes.accountEnabled === false) return this.#revoke(tx, tenant, updated.value, actor)
      return updated
    })
  }

  /**
   * A full replace (SCIM PUT, and PATCH after it is applied): the attribute changes and, when
   * given, a new cloud password, all or nothing. The password is checked before anything is
   * written, so a weak one refuses the whole request instead of leaving half of it applied.
   */
  async replace(
    tenant: Tenant,
    id: string,
    changes: UserChanges,
    actor: Actor,
    options: { ifVersion?: number; password?: string } = {},
  ): Promise<Result<User>> {
    const { password, ifVersion } = options
    if (password === undefined) return this.update(tenant, id, changes, actor, { ifVersion })
    const policy = checkPassword(password)
    if (!policy.ok) return policy
    const current = await this.#store.users.get(tenant.id, id)
    if (current?.onPremises?.syncEnabled) {
      return {
        ok: false,
        error: new IdbridgeError('IDB_ERR_SYNCED_ATTRIBUTE', { detail: `password of ${current.userPrincipalName}` }),
      }
    }
    const verifier = await createScryptVerifier(password)
    return this.#store.transaction(async (tx) => {
      const updated = await new UserDirectory(tx, this.#clock).update(tenant, id, changes, actor, { ifVersion })
      if (!updated.ok) return updated
      return this.#storeVerifier(tx, tenant, updated.value, verifier, false, actor)
    })
  }

  async delete(tenant: Tenant, id: string, actor: Actor): Promise<Result<void>> {
    return this.#store.transaction(async (tx) => {
      const user = await tx.users.get(tenant.id, id)
      if (!user) return { ok: false, error: new IdbridgeError('IDB_ERR_NOT_FOUND', { detail: `user ${id}` }) }
      if (user.onPremises?.syncEnabled && !actor.isSync) {
        return {
          ok: false,
          error: new IdbridgeError('IDB_ERR_SYNCED_ATTRIBUTE', {
            detail: `${user.userPrincipalName} is synced from Active Directory; delete it there or move it out of sync scope`,
            data: { scimType: 'mutability' },
          }),
        }
      }
      await tx.users.delete(tenant.id, id)
      await this.#audit(tx, tenant, actor, activities.deleteUser, user)
      return { ok: true, value: undefined }
    })
  }

  /** Sets a cloud-managed password (an admin reset of a cloud-only user), then revokes sessions. */
  async setPassword(
    tenant: Tenant,
    id: string,
    password: string,
    actor: Actor,
    options: { mustChange?: boolean } = {},
  ): Promise<Result<User>> {
    const policy = checkPassword(password)
    if (!policy.ok) return policy
    const verifier = await createScryptVerifier(password)
    return this.#store.transaction(async (tx) => {
      const user = await tx.users.get(tenant.id, id)
      if (!user) return { ok: false, error: new IdbridgeError('IDB_ERR_NOT_FOUND', { detail: `user ${id}` }) }
      return this.#storeVerifier(tx, tenant, user, verifier, options.mustChange ?? false, actor)
    })
  }

  async #storeVerifier(tx: Store, tenant: Tenant, user: User, verifier: string, mustChange: boolean, actor: Actor) {
    await tx.credentials.set(tenant.id, user.id, { verifier, mustChange })
    await this.#audit(tx, tenant, actor, activities.resetPassword, user)
    return this.#revoke(tx, tenant, user, actor)
  }

  /** Moves "sessions valid from" to now: every earlier session and token stops working. */
  async revokeSessions(tenant: Tenant, id: string, actor: Actor): Promise<Result<User>> {
    return this.#store.transaction(async (tx) => {
      const user = await tx.users.get(tenant.id, id)
      if (!user) return { ok: false, error: new IdbridgeError('IDB_ERR_NOT_FOUND', { detail: `user ${id}` }) }
      return this.#revoke(tx, tenant, user, actor)
    })
  }

  async #revoke(tx: Store, tenant: Tenant, user: User, actor: Actor): Promise<Result<User>> {
    const revoked = await tx.users.revokeSessions(tenant.id, user.id, this.#clock.now())
    if (!revoked) return { ok: false, error: new IdbridgeError('IDB_ERR_NOT_FOUND', { detail: `user ${user.id}` }) }
    await this.#audit(tx, tenant, actor, activities.revokeSessions, revoked)
    return { ok: true, value: revoked }
  }

  async #audit(
    tx: Store,
    tenant: Tenant,
    actor: Actor,
    activity: string,
    user: User,
    details: Record<string, string> = {},
  ): Promise<void> {
    await tx.audit.append(auditEvent(tenant, actor, activity, user, details))
  }
}

function auditEvent(
  tenant: Tenant,
  actor: Actor,
  activity: string,
  user: User,
  details: Record<string, string> = {},
): NewAuditEvent {
  return {
    tenantId: tenant.id,
    activity,
    service: services.coreDirectory,
    category: categories.user,
    actor: actor.name,
    target: user.userPrincipalName,
    result: 'success',
    failureReason: null,
    correlationId: actor.correlationId,
    details: { userId: user.id, ...details },
  }
}

function checkPassword(password: string): Result<void> {
  const violations = checkCloudPasswordPolicy(password)
  if (violations.length === 0) return { ok: true, value: undefined }
  return {
    ok: false,
    error: new IdbridgeError('IDB_ERR_PASSWORD_POLICY', {
      detail: violations.map((v) => cloudPolicyMessages[v]).join(' '),
      data: { violations },
    }),
  }
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b)
}
