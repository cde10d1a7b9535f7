/** @module `idbridge doctor`: a troubleshooting bundle an admin can attach to a support request. */
import path from 'node:path'
import { Command } from 'commander'
import { writeFileAtomically } from '../agent/write-file-atomically.ts'
import { loadConfig } from '../config/load-config.ts'
import { openStore } from '../store/kysely-store.ts'
import type { Store } from '../store/store.ts'
import { storeTarget } from '../store/store-target.ts'
import { systemClock } from '../time/clock.ts'
import { collectDoctorBundle } from './doctor/collect-doctor-bundle.ts'
import type { DoctorBundle } from './doctor/doctor-report.ts'

interface DoctorOptions {
  readonly config?: string
  readonly json?: boolean
  readonly out?: string
  readonly agentDir?: string
  readonly tenant?: string
  readonly limit: string
}

/** The human view: one line per section, then each finding with its fix. */
export function formatDoctorSummary(bundle: DoctorBundle): string {
  const errors = bundle.findings.filter((f) => f.severity === 'error').length
  const lines = [
    `idbridge doctor: ${bundle.findings.length} findings (${errors} errors, ${bundle.findings.length - errors} warnings)`,
    ...Object.entries(bundle.sections).map(([name, s]) => `  ${name}: ${s.summary}`),
  ]
  for (const f of bundle.findings) {
    lines.push(`${f.severity.padEnd(7)} ${f.code} (${f.section}): ${f.detail}`, `        fix: ${f.fix}`)
  }
  return lines.join('\n')
}

export function defineDoctorCommand(): Command {
  return new Command('doctor')
    .description('Collect a troubleshooting bundle (versions, redacted config, store, agents, sync, PHS, recent events)')
    .option('--out <file>', 'write the bundle as JSON to this file (mode 600)')
    .option('--agent-dir <dir>', "also read the agent's folder on this host (config, sync and PHS state, events)")
    .option('--tenant <name>', 'tenant name (default: the configured default tenant)')
    .option('--limit <n>', 'how many sync runs, audit entries and events of each kind', '50')
    .option('-c, --config <file>', 'config file (JSON)')
    .option('--json', 'print the whole bundle as JSON')
    .action(async (o: DoctorOptions) => {
      const loaded = loadConfig({ file: o.config })
      const limit = Math.min(Math.max(Number(o.limit) || 50, 1), 1000)
      // A store that will not open (locked by the running service, PostgreSQL down) is itself a
      // finding: the rest of the bundle is still worth having.
      let store: Store | undefined
      let opened: Parameters<typeof collectDoctorBundle>[0]['store']
      try {
        store = await openStore(storeTarget(loaded), systemClock)
        opened = { ok: true, value: store }
      } catch (error) {
        opened = { ok: false, error }
      }
      let bundle: DoctorBundle
      try {
        bundle = await collectDoctorBundle({
          loaded,
          store: opened,
          clock: systemClock,
          tenantName: o.tenant,
          agentDir: o.agentDir === undefined ? undefined : path.resolve(o.agentDir),
          limit,
        })
      } finally {
        await store?.close()
      }
      const text = `${JSON.stringify(bundle, null, 2)}\n`
      if (o.out) writeFileAtomically(path.resolve(o.out), text)
      if (o.json) process.stdout.write(text)
      else {
        const where = o.out ? `\nBundle written to ${path.resolve(o.out)} (mode 600): attach it to your support request.` : ''
        process.stdout.write(`${formatDoctorSummary(bundle)}${where}\n`)
      }
    })
}
