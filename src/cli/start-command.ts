/** @module `idbridge start`: the whole system on embedded defaults, for `npm start`. */
import { Command } from 'commander'
import { createAdminToken } from '../cloud/auth/admin-tokens.ts'
import { generatePassword } from '../cloud/bootstrap-tenant.ts'
import { startCloud } from '../cloud/start-cloud.ts'
import { UserDirectory } from '../cloud/users/user-directory.ts'
import { loadConfig } from '../config/load-config.ts'
import { systemClock } from '../time/clock.ts'
import { cliActor } from './cli-context.ts'
import { bannerLines, waitForShutdown } from './cloud-command.ts'

export function defineStartCommand(): Command {
  return new Command('start')
    .description('Start the demo: the tenant service on embedded defaults, printing URLs and demo credentials')
    .option('-c, --config <file>', 'config file (JSON)')
    .action(async (options: { config?: string }) => {
      const running = await startCloud(loadConfig({ file: options.config }))
      const lines = bannerLines(running)
      if (!running.created) {
        // A demo must always print working credentials, and no plaintext password is kept between
        // starts, so the demo admin gets a fresh password and token on every start.
        const admin = await running.store.users.getByUserPrincipalName(
          running.tenant.id,
          `admin@${running.tenant.domain}`,
        )
        if (admin) {
          const password = generatePassword()
          const reset = await new UserDirectory(running.store, systemClock).setPassword(
            running.tenant,
            admin.id,
            password,
            cliActor(),
          )
          if (reset.ok) {
            const { token } = await createAdminToken(running.store, systemClock, {
              tenantId: running.tenant.id,
              name: 'demo start',
              ttlDays: 1,
            })
            lines.push(
              `Admin user: ${admin.userPrincipalName}`,
              `Admin password: ${password}`,
              `Admin API token: ${token}`,
            )
          }
        }
      }
      process.stdout.write(`${lines.join('\n')}\nPress Ctrl+C to stop.\n`)
      await waitForShutdown(running)
    })
}
