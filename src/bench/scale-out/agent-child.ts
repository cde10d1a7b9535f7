/**
 * @module An agent of the scale-out run, as its own process: `startAgent` on a prepared folder.
 * Prints `{"ready":{…}}` once it is online, its first directory cycle is done and its password
 * hash sync finished the initial sync, so a phase never measures an agent still catching up.
 * SIGTERM stops it. Run by `startNodeAgent`, never by hand.
 */
import path from 'node:path'
import { PHS_STATE_FILE } from '../../agent/phs/phs-files.ts'
import { PhsStateFile } from '../../agent/phs/phs-state-file.ts'
import { startAgent } from '../../agent/start-agent.ts'
import { waitFor } from '../wait-for.ts'
import { withTimeout } from '../with-timeout.ts'
import { announce, stopOnSignal } from './child-process.ts'

const catchUpTimeoutMs = 15 * 60_000

/** What the parent reads from the ready line. */
export interface AgentReady {
  readonly agentId: string
  /** From start to the first directory cycle's end, and to the initial password sync's end. */
  readonly directoryMs: number
  readonly phsMs: number
}

async function main(dir: string): Promise<void> {
  const started = performance.now()
  const agent = await startAgent(dir)
  stopOnSignal(() => agent.stop())
  if (!(await agent.channel.whenOnline(60_000))) throw new Error('the agent did not get online within 60 s')
  await withTimeout('the first directory cycle', agent.firstRun, catchUpTimeoutMs)
  const directoryMs = performance.now() - started
  const phs = new PhsStateFile(path.join(dir, PHS_STATE_FILE))
  await waitFor('the initial password hash sync', async () => phs.read().initialCompletedAt !== null, {
    timeoutMs: catchUpTimeoutMs,
    intervalMs: 200,
  })
  const ready: AgentReady = { agentId: agent.agentId, directoryMs, phsMs: performance.now() - started }
  announce('ready', ready)
}

const [dir] = process.argv.slice(2)
if (!dir) {
  process.stderr.write('usage: agent-child.ts <agent dir>\n')
  process.exit(2)
}
main(dir).catch((err: unknown) => {
  process.stderr.write(`agent ${dir}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`)
  process.exit(1)
})
