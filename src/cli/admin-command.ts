/** @module `idbridge admin token create`. */
import { Command } from 'commander'
import { createAdminToken } from '../cloud/auth/admin-tokens.ts'
import { systemClock } from '../time/clock.ts'
import { findTenant, type GlobalOptions, output, withStore } from './cli-context.ts'

export function defineAdminCommand(): Command {
  const admin = new Command('admin').description('Admin API access')
  const token = admin.command('token').description('Bearer tokens for the admin API')
  token
    .command('create')
    .description('Create an admin API token for a tenant (shown once, stored as a digest)')
    .option('--tenant <name>', 'tenant name (default: the configured default tenant)')
    .option('--name <label>', 'a label for the token', 'cli')
    .option('--ttl-days <days>', 'expire after this many days')
    .option('-c, --config <file>', 'config file (JSON)')
    .option('--json', 'machine-readable output')
    .action(async (o: GlobalOptions & { tenant?: string; name: string; ttlDays?: string }) =>
      withStore(o, async (store, loaded) => {
        const tenant = await findTenant(store, loaded, o.tenant)
        const ttlDays = o.ttlDays === undefined ? undefined : Number(o.ttlDays)
        if (ttlDays !== undefined && !(Number.isInteger(ttlDays) && ttlDays > 0)) {
          throw new Error('--ttl-days takes a whole number of days')
        }
        const created = await createAdminToken(store, systemClock, { tenantId: tenant.id, name: o.name, ttlDays })
        output(o.json, { id: created.record.id, tenant: tenant.name, token: created.token }, () => created.token)
      }),
    )
  return admin
}
