/** @module `idbridge user add|list|show|disable`. Passwords come from stdin, never argv. */
import { Command } from 'commander'
import { UserDirectory } from '../cloud/users/user-directory.ts'
import { IdbridgeError } from '../errors/idbridge-error.ts'
import type { Store } from '../store/store.ts'
import type { Tenant, User } from '../store/store-records.ts'
import { systemClock } from '../time/clock.ts'
import { cliActor, findTenant, type GlobalOptions, output, withStore } from './cli-context.ts'
import { readSecret } from './read-secret.ts'

type UserOptions = GlobalOptions & { tenant?: string }

const view = (u: User) => ({
  id: u.id,
  userPrincipalName: u.userPrincipalName,
  displayName: u.displayName,
  givenName: u.givenName,
  surname: u.surname,
  mail: u.mail,
  mobile: u.mobile,
  accountEnabled: u.accountEnabled,
  roles: u.roles,
  licenses: u.licenses,
  passwordPolicies: u.passwordPolicies,
  onPremises: u.onPremises,
})

async function findUser(store: Store, tenant: Tenant, idOrUpn: string): Promise<User> {
  const user =
    (await store.users.getByUserPrincipalName(tenant.id, idOrUpn)) ?? (await store.users.get(tenant.id, idOrUpn))
  if (!user) throw new IdbridgeError('IDB_ERR_NOT_FOUND', { detail: `no user ${idOrUpn} in tenant ${tenant.name}` })
  return user
}

function common(command: Command): Command {
  return command
    .option('--tenant <name>', 'tenant name (default: the configured default tenant)')
    .option('-c, --config <file>', 'config file (JSON)')
    .option('--json', 'machine-readable output')
}

export function defineUserCommand(): Command {
  const user = new Command('user').description('Manage tenant users')
  common(user.command('add').description('Add a cloud-only user; the password is read from stdin'))
    .requiredOption('--upn <userPrincipalName>', 'e.g. ada@contoso.test')
    .option('--given-name <text>')
    .option('--surname <text>')
    .option('--display-name <text>')
    .option('--mail <address>')
    .option('--mobile <number>')
    .option('--license <sku...>', 'license SKUs to assign')
    .option('--admin', 'make the user a Global Administrator')
    .option('--no-password', 'create the user without a password')
    .action(async (o: UserOptions & Record<string, string | string[] | boolean | undefined>) => {
      const password = o.password === false ? undefined : await readSecret('Password: ')
      await withStore(o, async (store, loaded) => {
        const tenant = await findTenant(store, loaded, o.tenant)
        const str = (v: unknown) => (typeof v === 'string' ? v : null)
        const result = await new UserDirectory(store, systemClock).create(
          tenant,
          {
            userPrincipalName: String(o.upn),
            givenName: str(o.givenName),
            surname: str(o.surname),
            displayName: str(o.displayName) ?? String(o.upn),
            mail: str(o.mail),
            mobile: str(o.mobile),
            accountEnabled: true,
            roles: o.admin ? ['GlobalAdministrator'] : [],
            passwordPolicies: [],
            licenses: Array.isArray(o.license) ? o.license : [],
            onPremises: null,
          },
          cliActor(),
          password,
        )
        if (!result.ok) throw result.error
        output(o.json, view(result.value), () => `User ${result.value.userPrincipalName} (${result.value.id}) added.`)
      })
    })
  common(user.command('list').description('List users'))
    .option('--limit <n>', 'at most this many', '100')
    .action(async (o: UserOptions & { limit: string }) =>
      withStore(o, async (store, loaded) => {
        const tenant = await findTenant(store, loaded, o.tenant)
        const { users, total } = await store.users.list(tenant.id, {
          offset: 0,
          limit: Math.min(Number(o.limit) || 100, 10_000),
        })
        output(o.json, { total, users: users.map(view) }, () =>
          [
            ...users.map(
              (u) =>
                `${u.userPrincipalName}\t${u.onPremises?.syncEnabled ? 'synced' : 'cloud'}\t${u.accountEnabled ? 'enabled' : 'disabled'}`,
            ),
            `${users.length} of ${total} users`,
          ].join('\n'),
        )
      }),
    )
  common(user.command('show').description('Show one user').argument('<user>', 'userPrincipalName or id')).action(
    async (idOrUpn: string, o: UserOptions) =>
      withStore(o, async (store, loaded) => {
        const tenant = await findTenant(store, loaded, o.tenant)
        const u = await findUser(store, tenant, idOrUpn)
        const groups = await store.groups.listGroupsOfUser(tenant.id, u.id)
        const value = { ...view(u), groups: groups.map((g) => g.displayName) }
        output(o.json, value, () =>
          Object.entries(value)
            .map(([k, v]) => `${k}: ${JSON.stringify(v)}`)
            .join('\n'),
        )
      }),
  )
  common(
    user
      .command('disable')
      .description('Disable a user and revoke its sessions')
      .argument('<user>', 'userPrincipalName or id'),
  ).action(async (idOrUpn: string, o: UserOptions) =>
    withStore(o, async (store, loaded) => {
      const tenant = await findTenant(store, loaded, o.tenant)
      const u = await findUser(store, tenant, idOrUpn)
      const result = await new UserDirectory(store, systemClock).update(
        tenant,
        u.id,
        { accountEnabled: false },
        cliActor(),
      )
      if (!result.ok) throw result.error
      output(o.json, view(result.value), () => `User ${u.userPrincipalName} disabled; its sessions are revoked.`)
    }),
  )
  return user
}
