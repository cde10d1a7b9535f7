/** @module Registers an agent with a bench tenant, points it at a bench lab's OU and starts it. */
import { type RunningAgent, startAgent } from '../agent/start-agent.ts'
import { prepareLabAgent } from '../cli/demo-agent.ts'
import type { RunningCloud } from '../cloud/start-cloud.ts'
import type { LabInfo } from '../lab/lab-info.ts'

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
