/** @module The store as the doctor sees it: backend, schema version and row counts for the tenant. */
import type { Store } from '../../store/store.ts'
import type { Tenant } from '../../store/store-records.ts'
import { type DoctorSection, section } from './doctor-report.ts'

/** `location` comes from the redacted config, so the store's own label (which names the DB user) is not needed. */
export async function storeSection(store: Store, tenant: Tenant, location: object): Promise<DoctorSection> {
  const health = await store.health.describe(tenant.id)
  const behind = health.migration === health.latestMigration ? '' : `, this build knows ${health.latestMigration}`
  const counts = `${health.counts.users ?? 0} users, ${health.tenants} tenants`
  return section(
    `${health.migrationsApplied} migrations applied (newest ${health.migration ?? 'none'}${behind}); ${counts}`,
    { location, ...health },
  )
}

/** The tenant and its settings; the custom banned list is counted, not copied. */
export function tenantSection(tenant: Tenant): DoctorSection {
  const { customBannedPasswords, ...settings } = tenant.settings
  const on = (flag: boolean) => (flag ? 'on' : 'off')
  const flags = [
    `SSPR ${on(settings.ssprEnabled)}`,
    `writeback ${on(settings.passwordWritebackEnabled)}`,
    `password hash sync ${on(settings.passwordHashSyncEnabled)}`,
  ]
  return section(
    `${tenant.name}: ${flags.join(', ')}`,
    {
      id: tenant.id,
      name: tenant.name,
      displayName: tenant.displayName,
      domain: tenant.domain,
      createdAt: new Date(tenant.createdAt).toISOString(),
      settings: { ...settings, customBannedPasswords: { count: customBannedPasswords.length } },
    },
  )
}
