/** @module First start: the default tenant, its first admin and a first admin API token. */
import { randomBytes, randomUUID } from 'node:crypto'
import type { IdbridgeConfig } from '../config/config-schema.ts'
import { IdbridgeError } from '../errors/idbridge-error.ts'
import type { Store } from '../store/store.ts'
import type { Tenant } from '../store/store-records.ts'
import type { Clock } from '../time/clock.ts'
import { activities, categories, services } from './audit/audit-activities.ts'
import { createAdminToken } from './auth/admin-tokens.ts'
import { UserDirectory } from './users/user-directory.ts'

/** Shown once, on the start that created them; only verifiers and digests are kept. */
export interface FirstAdminCredential {
  readonly userPrincipalName: string
  readonly password: string
  readonly apiToken: string
}

export interface CreatedTenant {
  readonly tenant: Tenant
  readonly firstAdmin: FirstAdminCredential
}

/** A password that always meets the cloud policy: four classes, 20 characters. */
export function generatePassword(): string {
  const body = randomBytes(15).toString('base64url').replace(/[-_]/g, 'x')
  return `Id${body}-7`
}

export async function createTenantWithAdmin(
  store: Store,
  clock: Clock,
  spec: Pick<Tenant, 'name' | 'displayName' | 'domain'>,
): Promise<CreatedTenant> {
  const created = await store.tenants.create(spec)
  if (!created.ok) throw created.error
  const tenant = created.value
  const correlationId = randomUUID()
  await store.audit.append({
    tenantId: tenant.id,
    activity: activities.addTenant,
    service: services.coreDirectory,
    category: categories.directory,
    actor: 'idbridge',
    target: tenant.name,
    result: 'success',
    failureReason: null,
    correlationId,
    details: {},
  })
  const password = generatePassword()
  const userPrincipalName = `admin@${tenant.domain}`
  const admin = await new UserDirectory(store, clock).create(
    tenant,
    {
      userPrincipalName,
      givenName: null,
      surname: null,
      displayName: `${tenant.displayName} administrator`,
      mail: null,
      mobile: null,
      accountEnabled: true,
      roles: ['GlobalAdministrator'],
      passwordPolicies: [],
      licenses: [],
      onPremises: null,
    },
    { name: 'idbridge', correlationId },
    password,
  )
  if (!admin.ok) throw new IdbridgeError('IDB_ERR_INTERNAL', { detail: 'first admin', cause: admin.error })
  const { token } = await createAdminToken(store, clock, { tenantId: tenant.id, name: 'first admin token' })
  return { tenant, firstAdmin: { userPrincipalName, password, apiToken: token } }
}

/** Creates the default tenant when the store has none; returns what was created, if anything. */
export async function ensureDefaultTenant(
  store: Store,
  clock: Clock,
  config: IdbridgeConfig,
): Promise<{ tenant: Tenant; created?: CreatedTenant }> {
  const existing = await store.tenants.getByName(config.tenant.name)
  if (existing) return { tenant: existing }
  const created = await createTenantWithAdmin(store, clock, config.tenant)
  return { tenant: created.tenant, created }
}
