/** @module Registers an agent with a bench tenant, points it at a bench lab's OU and starts it. */
import { mkdtemp, rm } from 'node:fs/promises'
import path from 'node:path'
import { type RunningAgent, startAgent } from '../agent/start-agent.ts'
import { prepareLabAgent } from '../cli/demo-agent.ts'
import type { RunningCloud } from '../cloud/start-cloud.ts'
import type { LabInfo } from '../lab/lab-info.ts'
import type { BenchContext } from './bench-context.ts'
import { type BenchTenant, startBenchTenant } from './bench-tenant.ts'
import { withTimeout } from './with-timeout.ts'

/**
 * Registration and configuration happen before `start` is called, so a caller can time `start`
 * alone: what an operator sees from `idbridge agent run` to users in the tenant. The sync settings
 * are the product defaults (change notification on, presence check every 60 s).
 *
 * @example
 * const start = await prepareBenchAgent(cloud, lab, agentDir)
 * const t0 = performance.now(); const agent = await start()
 */
export async function prepareBenchAgent(
  cloud: RunningCloud,
  lab: LabInfo,
  dir: string,
  options: { phs?: boolean } = {},
): Promise<() => Promise<RunningAgent>> {
  await prepareLabAgent(cloud, lab, dir, { ous: [lab.bulk.ou], phs: options.phs })
  return () => startAgent(dir)
}

/** What a scenario's run gets from `withBenchAgent`. */
export interface BenchRun {
  readonly tenant: BenchTenant
  readonly agent: RunningAgent
  readonly agentDir: string
  /** `performance.now()` just before the agent started: what a scenario times from. */
  readonly startedAt: number
}

/**
 * One run on fresh folders under the bench's work folder: a new tenant (taking password hashes
 * when the agent syncs them) and an agent on the bench OU, registered before the clock starts.
 * The agent, the tenant and the folders go when `work` ends, however it ends.
 *
 * @example
 * const ms = await withBenchAgent(context, 'import-1k', lab, {}, async ({ agent, startedAt }) => …)
 */
export async function withBenchAgent<T>(
  context: BenchContext,
  name: string,
  lab: LabInfo,
  options: { phs?: boolean },
  work: (run: BenchRun) => Promise<T>,
): Promise<T> {
  const runDir = await mkdtemp(path.join(context.workDir, `${name}-`))
  const tenant = await startBenchTenant(path.join(runDir, 'tenant'))
  try {
    const { cloud } = tenant
    if (options.phs) await cloud.store.tenants.updateSettings(cloud.tenant.id, { ...cloud.tenant.settings, passwordHashSyncEnabled: true })
    const agentDir = path.join(runDir, 'agent')
    const start = await prepareBenchAgent(cloud, lab, agentDir, options)
    const startedAt = performance.now()
    const agent = await start()
    try {
      return await work({ tenant, agent, agentDir, startedAt })
    } finally {
      await withTimeout(`${name}: the agent to stop`, agent.stop(), 60_000)
    }
  } finally {
    await tenant.close()
    await rm(runDir, { recursive: true, force: true })
  }
}
