/** @module `import-1k` and `import-10k`: from agent start to every bench user in a fresh tenant, against a raw paged read. */
import path from 'node:path'
import { AgentStateFile } from '../agent/agent-state-file.ts'
import { AGENT_STATE_FILE } from '../agent/start-agent.ts'
import type { BenchContext } from './bench-context.ts'
import { type BenchResult, latencyResult } from './bench-result.ts'
import { rawPagedRead } from './raw-paged-read.ts'
import { summarize } from './summarize.ts'
import { withBenchAgent } from './start-bench-agent.ts'
import { waitFor } from './wait-for.ts'
import { withTimeout } from './with-timeout.ts'

/** Generous: the target is seconds for 10k users; this only keeps a hung run from hanging the bench. */
const runTimeoutMs = 15 * 60_000

/**
 * Each repetition gets a fresh tenant data folder and a fresh agent folder, so every run is a
 * first full import. Registration is done before the clock starts; the clock stops when the
 * tenant's store holds all `users` synced users. The floor is the median of three raw reads
 * (after one untimed warm-up, so neither side pays for a cold DC cache).
 *
 * @example
 * const result = await runImportScenario(context, 'import-10k', 10_000)
 */
export async function runImportScenario(context: BenchContext, name: string, users: number): Promise<BenchResult> {
  const lab = await context.lab(users)
  const repetitions = context.quick ? 1 : 3
  await rawPagedRead(lab, lab.bulk.ou)
  const floors: number[] = []
  for (let i = 0; i < Math.max(3, repetitions); i++) {
    const read = await rawPagedRead(lab, lab.bulk.ou)
    if (read.count !== users) throw new Error(`${name}: the raw read found ${read.count} users in ${lab.bulk.ou}, not ${users}`)
    floors.push(read.ms)
  }
  const floor = summarize(floors).p50
  context.log(`${name}: floor (raw paged read of ${users} users) ${floors.map((ms) => ms.toFixed(0)).join(' / ')} ms`)

  const samples: number[] = []
  for (let i = 0; i < repetitions; i++) {
    const ms = await importOnce(context, name, users)
    samples.push(ms)
    context.log(`${name}: run ${i + 1}/${repetitions}: ${users} users in the tenant after ${ms.toFixed(0)} ms`)
  }
  return latencyResult(name, samples, floor)
}

async function importOnce(context: BenchContext, name: string, users: number): Promise<number> {
  const lab = await context.lab(users)
  return withBenchAgent(context, name, lab, {}, async ({ tenant, agent, agentDir, startedAt }) => {
    const first = await withTimeout(`${name}: the first full import`, agent.firstRun, runTimeoutMs)
    if (first?.kind !== 'full') throw new Error(`${name}: the first run was ${first?.kind ?? 'missing'}, not a full import`)
    const result = new AgentStateFile(path.join(agentDir, AGENT_STATE_FILE)).read().lastRun?.result
    if (result !== 'success') throw new Error(`${name}: the full import failed: ${result ?? 'no result'}`)
    await waitFor(`${name}: ${users} synced users in the tenant`, async () => (await tenant.syncedCount()) >= users, {
      timeoutMs: 60_000,
      intervalMs: 50,
    })
    const elapsed = performance.now() - startedAt
    const synced = await tenant.syncedCount()
    if (synced !== users) throw new Error(`${name}: the tenant holds ${synced} synced users, not ${users}`)
    return elapsed
  })
}
