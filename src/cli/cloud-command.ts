/** @module `idbridge cloud serve`: runs the tenant service until SIGINT or SIGTERM. */
import { Command } from 'commander'
import { type RunningCloud, startCloud } from '../cloud/start-cloud.ts'
import { loadConfig } from '../config/load-config.ts'
import type { GlobalOptions } from './cli-context.ts'

/** The lines `npm start` and `cloud serve` print; tests and scripts read them. */
export function bannerLines(cloud: RunningCloud): string[] {
  const base = `${cloud.url}/t/${cloud.tenant.name}`
  const lines = [
    `Tenant: ${base}`,
    `Sign-in: ${base}/signin`,
    `Password reset: ${base}/sspr`,
    `Admin: ${base}/admin`,
    `Admin API: ${cloud.url}/openapi.json`,
    `CA certificate: ${cloud.certFile}`,
  ]
  if (cloud.labSink) lines.push(`Lab messages (one-time codes): ${cloud.url}/lab/messages`)
  if (cloud.created) {
    const admin = cloud.created.firstAdmin
    lines.push(
      `Admin user: ${admin.userPrincipalName}`,
      `Admin password: ${admin.password}`,
      `Admin API token: ${admin.apiToken}`,
    )
    lines.push('These credentials are shown once; only their verifiers are stored.')
  }
  return lines
}

export function waitForShutdown(cloud: RunningCloud, extra: () => Promise<void> = async () => {}): Promise<void> {
  return new Promise((resolve) => {
    const stop = async () => {
      process.off('SIGINT', stop)
      process.off('SIGTERM', stop)
      // The extra work (stopping an in-process agent, the lab) goes first, while the tenant still answers.
      await extra()
      await cloud.close()
      resolve()
    }
    process.on('SIGINT', stop)
    process.on('SIGTERM', stop)
  })
}

export function defineCloudCommand(): Command {
  const cloud = new Command('cloud').description('The tenant service: web portal, admin API and agent relay')
  cloud
    .command('serve')
    .description('Serve the tenant over HTTPS (loopback only unless configured otherwise)')
    .option('-c, --config <file>', 'config file (JSON)')
    .action(async (options: GlobalOptions) => {
      const running = await startCloud(loadConfig({ file: options.config }))
      process.stdout.write(`${bannerLines(running).join('\n')}\n`)
      await waitForShutdown(running)
    })
  return cloud
}
