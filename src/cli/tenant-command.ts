/** @module `idbridge tenant create|list`. */
import { Command } from 'commander'
import { createTenantWithAdmin } from '../cloud/bootstrap-tenant.ts'
import { systemClock } from '../time/clock.ts'
import { type GlobalOptions, output, withStore } from './cli-context.ts'

export function defineTenantCommand(): Command {
  const tenant = new Command('tenant').description('Manage tenants')
  tenant
    .command('create')
    .description('Create a tenant with a first admin and API token (shown once)')
    .requiredOption('--name <name>', 'short name used in URLs, e.g. fabrikam')
    .requiredOption('--domain <domain>', 'DNS domain of its users, e.g. fabrikam.test')
    .option('--display-name <text>', 'display name')
    .option('-c, --config <file>', 'config file (JSON)')
    .option('--json', 'machine-readable output')
    .action(async (o: GlobalOptions & { name: string; domain: string; displayName?: string }) =>
      withStore(o, async (store) => {
        const created = await createTenantWithAdmin(store, systemClock, {
          name: o.name,
          domain: o.domain,
          displayName: o.displayName ?? o.name,
        })
        const { tenant: t, firstAdmin } = created
        output(o.json, { tenant: { id: t.id, name: t.name, domain: t.domain }, firstAdmin }, () =>
          [
            `Tenant ${t.name} (${t.id}) created.`,
            `Admin user: ${firstAdmin.userPrincipalName}`,
            `Admin password: ${firstAdmin.password}`,
            `Admin API token: ${firstAdmin.apiToken}`,
          ].join('\n'),
        )
      }),
    )
  tenant
    .command('list')
    .description('List tenants')
    .option('-c, --config <file>', 'config file (JSON)')
    .option('--json', 'machine-readable output')
    .action(async (o: GlobalOptions) =>
      withStore(o, async (store) => {
        const tenants = await store.tenants.list()
        output(
          o.json,
          tenants.map((t) => ({ id: t.id, name: t.name, displayName: t.displayName, domain: t.domain })),
          () => tenants.map((t) => `${t.name}\t${t.domain}\t${t.displayName}\t${t.id}`).join('\n'),
        )
      }),
    )
  return tenant
}
