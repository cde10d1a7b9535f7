/** @module `idbridge audit list`. */
import { Command } from 'commander'
import { IdbridgeError } from '../errors/idbridge-error.ts'
import { findTenant, type GlobalOptions, output, withStore } from './cli-context.ts'

export function defineAuditCommand(): Command {
  const audit = new Command('audit').description('Read the audit log')
  audit
    .command('list')
    .description('List audit events, newest first')
    .option('--tenant <name>', 'tenant name (default: the configured default tenant)')
    .option('--activity <name>', 'e.g. "Update StsRefreshTokenValidFrom Timestamp"')
    .option('--target <upn>')
    .option('--result <result>', 'success or failure')
    .option('--correlation-id <id>', 'the support code a user reported')
    .option('--since <iso>', 'ISO 8601 time')
    .option('--limit <n>', 'at most this many', '50')
    .option('-c, --config <file>', 'config file (JSON)')
    .option('--json', 'machine-readable output')
    .action(
      async (
        o: GlobalOptions & {
          tenant?: string
          activity?: string
          target?: string
          result?: string
          correlationId?: string
          since?: string
          limit: string
        },
      ) =>
        withStore(o, async (store, loaded) => {
          const tenant = await findTenant(store, loaded, o.tenant)
          const since = o.since === undefined ? undefined : Date.parse(o.since)
          if (since !== undefined && Number.isNaN(since)) {
            throw new IdbridgeError('IDB_ERR_INVALID_INPUT', { detail: '--since: expected an ISO 8601 time' })
          }
          if (o.result !== undefined && o.result !== 'success' && o.result !== 'failure') {
            throw new IdbridgeError('IDB_ERR_INVALID_INPUT', { detail: '--result: expected success or failure' })
          }
          const events = await store.audit.list(tenant.id, {
            activity: o.activity,
            target: o.target,
            result: o.result,
            correlationId: o.correlationId,
            since,
            limit: Math.min(Math.max(Number(o.limit) || 50, 1), 1000),
          })
          output(
            o.json,
            events.map((e) => ({ ...e, at: new Date(e.at).toISOString() })),
            () =>
              events
                .map(
                  (e) =>
                    `${new Date(e.at).toISOString()}  ${e.activity}  ${e.target ?? '-'}  ${e.result}${e.failureReason ? ` (${e.failureReason})` : ''}  ${e.correlationId}`,
                )
                .join('\n'),
          )
        }),
    )
  return audit
}
