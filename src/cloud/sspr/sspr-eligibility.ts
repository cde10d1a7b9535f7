/** @module Who may reset, and with which gates: the reference's checks SSPR_0010 to SSPR_0014, in its order. */
import type { SecurityInfo } from '../../store/sspr-records.ts'
import type { Store } from '../../store/store.ts'
import type { Tenant, User } from '../../store/store-records.ts'
import type { VerificationMethod } from './sspr-flow-state.ts'

export type IneligibleCode = 'SSPR_0010' | 'SSPR_0011' | 'SSPR_0012' | 'SSPR_0013' | 'SSPR_0014'

export type Eligibility =
  | { readonly ok: true; readonly gatesRequired: 1 | 2; readonly methods: VerificationMethod[] }
  | { readonly ok: false; readonly code: IneligibleCode; readonly detail: string }

/** Any administrator role gets the two-gate policy without security questions (reference §3.3). */
export const isAdministrator = (user: User): boolean => user.roles.some((role) => role.endsWith('Administrator'))

/** The methods a user registered that may serve as a gate for them. */
export function usableMethods(info: SecurityInfo | undefined, admin: boolean): VerificationMethod[] {
  if (!info) return []
  const methods: VerificationMethod[] = []
  if (info.email) methods.push('email')
  if (info.phone) methods.push('sms')
  if (info.totp) methods.push('app')
  if (info.questions.length >= 3 && !admin) methods.push('questions')
  return methods
}

export async function checkEligibility(store: Store, tenant: Tenant, user: User): Promise<Eligibility> {
  const settings = tenant.settings
  if (user.onPremises?.syncEnabled && !settings.passwordWritebackEnabled) {
    return { ok: false, code: 'SSPR_0010', detail: `${user.userPrincipalName} is synced and writeback is off` }
  }
  if (settings.ssprScopeGroupId !== null) {
    const group = await store.groups.get(tenant.id, settings.ssprScopeGroupId)
    if (!group) return { ok: false, code: 'SSPR_0011', detail: `scope group ${settings.ssprScopeGroupId} does not exist` }
  }
  if (settings.ssprRequiredLicense !== null && !user.licenses.includes(settings.ssprRequiredLicense)) {
    return { ok: false, code: 'SSPR_0012', detail: `${user.userPrincipalName} lacks ${settings.ssprRequiredLicense}` }
  }
  if (settings.ssprScopeGroupId !== null) {
    const groups = await store.groups.listGroupsOfUser(tenant.id, user.id)
    if (!groups.some((g) => g.id === settings.ssprScopeGroupId)) {
      return { ok: false, code: 'SSPR_0013', detail: `${user.userPrincipalName} is not in the SSPR scope group` }
    }
  }
  const admin = isAdministrator(user)
  const gatesRequired = admin ? 2 : settings.ssprGatesRequired
  const methods = usableMethods(await store.securityInfo.get(tenant.id, user.id), admin)
  if (methods.length < gatesRequired) {
    return {
      ok: false,
      code: 'SSPR_0014',
      detail: `${user.userPrincipalName} registered ${methods.length} usable method(s), ${gatesRequired} required`,
    }
  }
  return { ok: true, gatesRequired, methods }
}
