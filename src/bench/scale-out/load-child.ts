/**
 * @module The load generator of the scale-out run, in a process of its own so it shares no event
 * loop with a tenant node: reads a plan file, drains each node's queue with its clients, writes
 * every request's outcome to a results file and prints `{"done":{…}}`. Run by `runLoad`.
 */
import { readFileSync } from 'node:fs'
import { writeFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { announce, startChild } from './child-process.ts'
import type { LoadItem, LoadPlan } from './load-plan.ts'
import { errorCode, fetchCsrfToken, type NodeTarget, nodeTarget, postAdminReset, postSignIn, type Reply } from './load-requests.ts'

/** One request's outcome, in the order it finished. Times are ms from the start of the load. */
export interface RequestOutcome {
  readonly kind: 'signIn' | 'reset'
  /** Index of the node in the plan. */
  readonly node: number
  readonly upn: string
  /** For a reset: 0 or 1, its place in the user's pair (the password is plan's `passwords[seq]`). */
  readonly seq: number | null
  readonly status: number
  readonly correlationId: string | null
  /** From a successful reset's answer. */
  readonly trackingId: string | null
  readonly code: string | null
  readonly location: string | null
  readonly error: string | null
  readonly startedAt: number
  readonly ms: number
}

export interface LoadResults {
  /** From the first request sent to the last answer received. */
  readonly wallMs: number
  /** The load generator's own CPU over the load (it has exited by the time the parent looks). */
  readonly cpuSeconds: number
  readonly outcomes: readonly RequestOutcome[]
}

/**
 * Spawns the load child on `planFile` and waits until it wrote `resultsFile`.
 *
 * @example
 * const results = await runLoad(planFile, resultsFile, 20 * 60_000, log)
 */
export async function runLoad(planFile: string, resultsFile: string, timeoutMs: number, log: (line: string) => void): Promise<LoadResults> {
  const child = await startChild<unknown>('src/bench/scale-out/load-child.ts', [planFile, resultsFile], 'done', timeoutMs, (line) =>
    log(`load: ${line}`),
  )
  await child.stop()
  return JSON.parse(readFileSync(resultsFile, 'utf8')) as LoadResults
}

async function main(planFile: string, resultsFile: string): Promise<void> {
  const plan = JSON.parse(readFileSync(planFile, 'utf8')) as LoadPlan
  const targets = plan.nodes.map((n) => nodeTarget(n.url, readFileSync(n.certFile), plan.clientsPerNode, plan.requestTimeoutMs))
  // Each client loads the sign-in page once, as a browser tab would, before the clock starts.
  const clients = await Promise.all(
    targets.flatMap((target, node) =>
      Array.from({ length: plan.clientsPerNode }, async () => ({ node, target, csrf: await fetchCsrfToken(target, plan.tenantName) })),
    ),
  )
  const outcomes: RequestOutcome[] = []
  const cursors = plan.queues.map(() => 0)
  const cpuBefore = process.cpuUsage()
  const started = performance.now()
  const at = () => performance.now() - started
  await Promise.all(
    clients.map(async ({ node, target, csrf }) => {
      const queue = plan.queues[node]!
      for (let next = cursors[node]!++; next < queue.length; next = cursors[node]!++) {
        for (const outcome of await runItem(plan, node, target, csrf, queue[next]!, at)) outcomes.push(outcome)
      }
    }),
  )
  const wallMs = at()
  const cpu = process.cpuUsage(cpuBefore)
  for (const target of targets) target.agent.destroy()
  const results: LoadResults = { wallMs, cpuSeconds: Math.round((cpu.user + cpu.system) / 1e5) / 10, outcomes }
  await writeFile(resultsFile, JSON.stringify(results))
  announce('done', { requests: outcomes.length, wallMs: Math.round(wallMs) })
}

async function runItem(plan: LoadPlan, node: number, target: NodeTarget, csrf: string, item: LoadItem, at: () => number): Promise<RequestOutcome[]> {
  if (item.kind === 'signIn') {
    const startedAt = at()
    const reply = await postSignIn(target, plan.tenantName, csrf, item.upn, item.password)
    return [outcome('signIn', node, item.upn, null, reply, startedAt, at() - startedAt)]
  }
  const done: RequestOutcome[] = []
  for (const [seq, password] of item.passwords.entries()) {
    const startedAt = at()
    const reply = await postAdminReset(target, plan.adminToken, item.userId, password)
    done.push(outcome('reset', node, item.upn, seq, reply, startedAt, at() - startedAt))
  }
  return done
}

function outcome(kind: 'signIn' | 'reset', node: number, upn: string, seq: number | null, reply: Reply, startedAt: number, ms: number): RequestOutcome {
  return {
    kind,
    node,
    upn,
    seq,
    status: reply.status,
    correlationId: reply.correlationId,
    trackingId: kind === 'reset' && reply.status === 200 ? trackingIdOf(reply.body) : null,
    code: reply.status >= 400 ? errorCode(reply) : null,
    location: reply.location,
    error: reply.error,
    startedAt: Math.round(startedAt * 10) / 10,
    ms: Math.round(ms * 10) / 10,
  }
}

function trackingIdOf(body: string): string | null {
  try {
    const id = (JSON.parse(body) as { trackingId?: unknown }).trackingId
    return typeof id === 'string' ? id : null
  } catch {
    return null
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [planFile, resultsFile] = process.argv.slice(2)
  main(planFile!, resultsFile!).catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`)
    process.exit(1)
  })
}
