/** @module `idbridge phs status|resync`: per-user password hash sync health, and forcing a full resync. */
import { existsSync } from 'node:fs'
import path from 'node:path'
import { Command } from 'commander'
import { PHS_RESYNC_MARKER, PHS_STATE_FILE } from '../agent/phs/phs-files.ts'
import { PhsStateFile } from '../agent/phs/phs-state-file.ts'
import { writeFileAtomically } from '../agent/write-file-atomically.ts'
import { passwordHashSyncView } from '../cloud/phs/phs-api-routes.ts'
import { IdbridgeError } from '../errors/idbridge-error.ts'
import { findTenant, type GlobalOptions, output, withStore } from './cli-context.ts'

type StatusOptions = GlobalOptions & { tenant?: string; dir?: string; limit: string }

export function definePhsCommand(): Command {
  const phs = new Command('phs').description('Password hash sync: health per user, and full resync')
  phs
    .command('status')
    .description("Per-user hash sync health: the tenant's view, or with --dir the agent's own")
    .option('--tenant <name>', 'tenant name (default: the configured default tenant)')
    .option('--dir <agentDir>', "read the agent's local state instead of the tenant's")
    .option('--limit <n>', 'at most this many users', '100')
    .option('-c, --config <file>', 'config file (JSON)')
    .option('--json', 'machine-readable output')
    .action(async (o: StatusOptions) => {
      const limit = Math.min(Math.max(Number(o.limit) || 100, 1), 10_000)
      if (o.dir) return agentStatus(o.dir, limit, o.json)
      await withStore(o, async (store, loaded) => {
        const tenant = await findTenant(store, loaded, o.tenant)
        const listed = await store.passwordHashSync.list(tenant.id, { limit, offset: 0 })
        const users = listed.items.map(passwordHashSyncView)
        output(o.json, { total: listed.total, users }, () =>
          [
            `Password hash sync: ${tenant.settings.passwordHashSyncEnabled ? 'on' : 'OFF'} for ${tenant.name}; ${listed.total} users reported.`,
            ...users.map(
              (u) =>
                `${u.userPrincipalName}\t${u.result}\tsynced ${u.syncedAt}\tlag ${u.lagSeconds ?? '-'} s${u.detail ? `\t${u.detail}` : ''}`,
            ),
          ].join('\n'),
        )
      })
    })
  phs
    .command('resync')
    .description('Sync every in-scope password again at the next cycle (ForceFullPasswordSync)')
    .requiredOption('--all', 'every user: the only resync there is, as in the reference')
    .requiredOption('--dir <agentDir>', 'the agent folder (the running agent picks the request up within seconds)')
    .option('--json', 'machine-readable output')
    .action((o: { dir: string; json?: boolean }) => {
      const at = new Date().toISOString()
      writeFileAtomically(path.join(o.dir, PHS_RESYNC_MARKER), JSON.stringify({ requestedAt: at }))
      output(o.json, { requestedAt: at }, () => `Full password resync requested at ${at}; the agent starts it within seconds.`)
    })
  return phs
}

function agentStatus(dir: string, limit: number, json: boolean | undefined): void {
  const file = path.join(dir, PHS_STATE_FILE)
  if (!existsSync(file)) {
    throw new IdbridgeError('IDB_ERR_CONFIG_INVALID', {
      detail: `phs.enabled (in ${path.join(dir, 'agent.config.json')}): no password hash sync state in ${dir}; turn PHS on there and run the agent`,
    })
  }
  const state = new PhsStateFile(file).read()
  const users = Object.entries(state.users)
    .slice(0, limit)
    .map(([objectGuid, u]) => ({
      objectGuid,
      distinguishedName: u.distinguishedName,
      result: u.result,
      detail: u.detail ?? null,
      syncedAt: u.syncedAt === null ? null : new Date(u.syncedAt).toISOString(),
      lagSeconds: u.lagMs === null ? null : Math.round(u.lagMs / 1000),
      retry: u.retry ? { attempts: u.retry.attempts, dueAt: new Date(u.retry.dueAt).toISOString() } : null,
    }))
  const summary = {
    initialCompletedAt: state.initialCompletedAt === null ? null : new Date(state.initialCompletedAt).toISOString(),
    resyncRequested: state.resyncRequestedAt !== null,
    lastCycle: state.lastCycle && { ...state.lastCycle, at: new Date(state.lastCycle.at).toISOString() },
    retrying: Object.values(state.users).filter((u) => u.retry && u.retry.attempts > 0).length,
    users,
  }
  output(json, summary, () =>
    [
      `Initial sync: ${summary.initialCompletedAt ?? 'not completed'}; last cycle: ${summary.lastCycle ? `${summary.lastCycle.kind} ${summary.lastCycle.result} at ${summary.lastCycle.at}` : 'none'}; in retry queue: ${summary.retrying}.`,
      ...users.map((u) => `${u.distinguishedName}\t${u.result}\tsynced ${u.syncedAt ?? '-'}\tlag ${u.lagSeconds ?? '-'} s${u.detail ? `\t${u.detail}` : ''}`),
    ].join('\n'),
  )
}
