/** @module How a user read from AD becomes a tenant user: the sync's attribute flow. */
import type { SyncBatch } from '../../protocol/sync-batch.ts'
import type { NewUser, Tenant, User } from '../../store/store-records.ts'

type DirectoryUserMessage = Extract<SyncBatch['changes'][number], { kind: 'upsert' }>['user']

/** The tenant user's fields that AD owns. Roles, licenses and password policies stay the tenant's. */
export function directoryUserFields(
  user: DirectoryUserMessage,
  tenant: Tenant,
): Omit<NewUser, 'roles' | 'licenses' | 'passwordPolicies'> {
  return {
    // AD users without a UPN get the tenant's domain, as Entra does with its onmicrosoft domain.
    userPrincipalName: user.userPrincipalName ?? `${user.samAccountName}@${tenant.domain}`,
    givenName: user.givenName,
    surname: user.surname,
    displayName: user.displayName ?? user.samAccountName,
    mail: user.mail,
    mobile: user.mobile,
    accountEnabled: user.accountEnabled,
    onPremises: {
      immutableId: user.sourceAnchor,
      distinguishedName: user.distinguishedName,
      samAccountName: user.samAccountName,
      syncEnabled: true,
      state: {
        protected: user.protected,
        pwdLastSet: user.pwdLastSet,
        lockedOut: user.lockedOut,
        passwordNeverExpires: user.passwordNeverExpires,
      },
    },
  }
}

/** Only what differs, so an unchanged user costs no write and no audit entry. */
export function changedFields(current: User, next: ReturnType<typeof directoryUserFields>): Partial<typeof next> {
  const changes: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(next)) {
    if (JSON.stringify(value) !== JSON.stringify(current[key as keyof User])) changes[key] = value
  }
  return changes as Partial<typeof next>
}

/** A synced group's tenant anchor: AD DNs compare case-insensitively. */
export const groupAnchor = (dn: string): string => `dn:${dn.toLowerCase()}`

export function groupDisplayName(dn: string): string {
  const first = dn.split(/(?<!\\),/)[0] ?? dn
  return first.replace(/^cn=/i, '').replace(/\\(.)/g, '$1')
}
