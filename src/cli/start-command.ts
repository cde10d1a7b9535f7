/** @module `idbridge start`: the whole system on embedded defaults, for `npm start`. */
import { existsSync } from 'node:fs'
import path from 'node:path'
import { Command } from 'commander'
import { createAdminToken } from '../cloud/auth/admin-tokens.ts'
import { generatePassword } from '../cloud/bootstrap-tenant.ts'
import { type RunningCloud, startCloud } from '../cloud/start-cloud.ts'
import { UserDirectory } from '../cloud/users/user-directory.ts'
import { loadConfig } from '../config/load-config.ts'
import { formatLabInfo } from '../lab/format-lab-info.ts'
import { labDown, labUp } from '../lab/lab.ts'
import { systemClock } from '../time/clock.ts'
import { cliActor } from './cli-context.ts'
import { startDemoAgent } from './demo-agent.ts'
import { bannerLines, waitForShutdown } from './cloud-command.ts'

/** A demo must always print working credentials, and no plaintext password is kept between starts. */
async function freshDemoAdmin(running: RunningCloud): Promise<string[]> {
  const admin = await running.store.users.getByUserPrincipalName(running.tenant.id, `admin@${running.tenant.domain}`)
  if (!admin) return []
  const password = generatePassword()
  const reset = await new UserDirectory(running.store, systemClock).setPassword(
    running.tenant,
    admin.id,
    password,
    cliActor(),
  )
  if (!reset.ok) return []
  const { token } = await createAdminToken(running.store, systemClock, {
    tenantId: running.tenant.id,
    name: 'demo start',
    ttlDays: 1,
  })
  return [`Admin user: ${admin.userPrincipalName}`, `Admin password: ${password}`, `Admin API token: ${token}`]
}

async function enableDemoReset(running: RunningCloud): Promise<void> {
  const { settings } = running.tenant
  if (settings.ssprEnabled && settings.passwordWritebackEnabled) return
  await running.store.tenants.updateSettings(running.tenant.id, {
    ...settings,
    ssprEnabled: true,
    passwordWritebackEnabled: true,
    passwordHashSyncEnabled: true,
  })
}

export function defineStartCommand(): Command {
  return new Command('start')
    .description('Start the demo: a Samba AD lab (unless a directory is configured) and the tenant service')
    .option('-c, --config <file>', 'config file (JSON)')
    .option('--no-lab', 'do not start the Samba AD lab')
    .action(async (options: { config?: string; lab: boolean }) => {
      const loaded = loadConfig({ file: options.config })
      // A configured agent means a real directory; the lab is only for when there is none.
      const directoryConfigured = existsSync(path.join(loaded.dataDir, 'agent', 'agent.config.json'))
      const lab = options.lab && !directoryConfigured ? await labUp() : undefined
      // The demo shows the reset flow end to end: codes land in the embedded sinks, writeback is on.
      const config = lab ? { ...loaded.config, sspr: { ...loaded.config.sspr, labSinks: true } } : loaded.config
      const running = await startCloud({ ...loaded, config })
      if (lab) await enableDemoReset(running)
      const lines = bannerLines(running)
      if (!running.created) lines.push(...(await freshDemoAdmin(running)))
      const agent = lab ? await startDemoAgent(running, lab, path.join(loaded.dataDir, 'agent-demo')) : undefined
      if (lab && agent) {
        const first = await agent.firstRun
        lines.push(
          `Agent: ${agent.agentId}, syncing ${lab.scope.syncOu}` +
            (first ? ` (${first.kind} import: ${first.exported} users exported)` : ' (first import still running)'),
        )
        lines.push('', 'Active Directory lab (Samba AD DC):', formatLabInfo(lab).trimEnd())
      }
      process.stdout.write(`${lines.join('\n')}\nPress Ctrl+C to stop.\n`)
      await waitForShutdown(running, async () => {
        await agent?.stop()
        if (lab) await labDown({ dir: lab.dir })
      })
    })
}
