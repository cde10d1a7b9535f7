/** @module `idbridge sync runs|confirm-deletes`: what sync did, and the admin's word on mass deletes. */
import { Command } from 'commander'
import { DirectorySyncIngest } from '../cloud/sync/directory-sync-ingest.ts'
import { syncRunView } from '../cloud/sync/sync-api-routes.ts'
import { UserDirectory } from '../cloud/users/user-directory.ts'
import { IdbridgeError } from '../errors/idbridge-error.ts'
import { systemClock } from '../time/clock.ts'
import { cliActor, findTenant, type GlobalOptions, output, withStore } from './cli-context.ts'

type SyncOptions = GlobalOptions & { tenant?: string }

export function defineSyncCommand(): Command {
  const sync = new Command('sync').description('Directory sync runs and the accidental-delete threshold')
  sync
    .command('runs')
    .description('List recent sync runs with created, updated, deleted and failed counts')
    .option('--tenant <name>', 'tenant name (default: the configured default tenant)')
    .option('--limit <n>', 'at most this many', '10')
    .option('-c, --config <file>', 'config file (JSON)')
    .option('--json', 'machine-readable output')
    .action(async (o: SyncOptions & { limit: string }) =>
      withStore(o, async (store, loaded) => {
        const tenant = await findTenant(store, loaded, o.tenant)
        const runs = await store.syncRuns.list(tenant.id, Math.min(Math.max(Number(o.limit) || 10, 1), 200))
        output(o.json, runs.map(syncRunView), () =>
          runs
            .map(
              (r) =>
                `${new Date(r.startedAt).toISOString()}  ${r.kind}  ${r.status}  +${r.created} ~${r.updated} -${r.deleted} !${r.failed}` +
                (r.pendingDeletes.length
                  ? `  (${r.pendingDeletes.length} deletes wait for confirmation: run ${r.id})`
                  : ''),
            )
            .join('\n'),
        )
      }),
    )
  sync
    .command('confirm-deletes')
    .description('Apply the deletes a run held back because they exceeded the threshold')
    .option('--run <id>', 'the run (default: the newest run that waits)')
    .option('--tenant <name>', 'tenant name (default: the configured default tenant)')
    .option('--dry-run', 'only show what would be deleted')
    .option('-c, --config <file>', 'config file (JSON)')
    .option('--json', 'machine-readable output')
    .action(async (o: SyncOptions & { run?: string; dryRun?: boolean }) =>
      withStore(o, async (store, loaded) => {
        const tenant = await findTenant(store, loaded, o.tenant)
        const runs = await store.syncRuns.list(tenant.id, 200)
        const run = o.run
          ? runs.find((r) => r.id === o.run)
          : runs.find((r) => r.status === 'awaiting-delete-confirmation')
        if (!run)
          throw new IdbridgeError('IDB_ERR_NOT_FOUND', {
            detail: o.run ? `sync run ${o.run}` : 'no sync run waits for delete confirmation',
          })
        if (o.dryRun) {
          output(o.json, run.pendingDeletes, () =>
            run.pendingDeletes.map((d) => `${d.userPrincipalName}\t${d.distinguishedName ?? ''}`).join('\n'),
          )
          return
        }
        const ingest = new DirectorySyncIngest(
          { store, clock: systemClock, users: new UserDirectory(store, systemClock) },
          { deleteThreshold: Number.POSITIVE_INFINITY },
        )
        const result = await ingest.confirmDeletes(tenant, run.id, cliActor())
        if (!result.ok) throw result.error
        output(o.json, syncRunView(result.value), () => `Deleted ${result.value.deleted} users of run ${run.id}.`)
      }),
    )
  return sync
}
