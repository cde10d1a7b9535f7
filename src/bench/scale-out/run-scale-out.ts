/**
 * @module Issue 7 §2, the scale-out run: the same mixed load of admin resets (writeback to AD) and
 * sign-ins (password hash sync verifiers) on one tenant node with its agent, then on two nodes
 * sharing one PostgreSQL, each with its own agent; throughput of both, and proof from the answers,
 * the audit log, the agents' event logs and AD binds that no request was lost or duplicated.
 */
import { readFileSync } from 'node:fs'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { bulkUsername } from '../../lab/bulk-users.ts'
import type { LabInfo } from '../../lab/lab-info.ts'
import { labStatus } from '../../lab/lab.ts'
import { labPaths, repoRoot } from '../../lab/lab-paths.ts'
import { BenchContext } from '../bench-context.ts'
import { describeMachine } from '../describe-machine.ts'
import { waitFor } from '../wait-for.ts'
import { checkAudit } from './check-audit.ts'
import { checkAdPasswords, checkAgentEvents } from './check-directory.ts'
import { checkOutcomes } from './check-outcomes.ts'
import type { CleanupStack } from './cleanup-stack.ts'
import { cpuSnapshot, cpuUsage, processesNamed, processTree } from './cpu-sampler.ts'
import { runLoad } from './load-child.ts'
import { buildLoadItems, dealToNodes, type LoadItem, type LoadPlan, type ResetUser } from './load-plan.ts'
import { acceptedPasswords, type Check, type PhaseRecord } from './phase-record.ts'
import { restoreBenchPasswords } from './restore-passwords.ts'
import { ScaleOutCluster } from './scale-out-cluster.ts'
import type { ScaleOutOptions } from './scale-out-options.ts'
import { explainBottleneck } from './explain-bottleneck.ts'
import { phaseRows, type ScaleOutReport } from './scale-out-report.ts'

const LAB_USERS = 1_000
/** bench-context.ts keeps the 1k bench lab here. */
const LAB_DIR = path.join(repoRoot, 'var', 'bench-lab-1k')
/** Reset users from bench00101 up, sign-ins by bench00601…bench00950: apart, and apart from the users other scenarios touch (1–31, 970–1000). */
const FIRST_RESET_USER = 101
const SIGN_IN_USERS = { first: 601, last: 950 }
const DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test'

/**
 * @example
 * const report = await runScaleOut(parseScaleOutOptions(['--quick']), cleanups, log)
 */
export async function runScaleOut(options: ScaleOutOptions, cleanups: CleanupStack, log: (line: string) => void): Promise<ScaleOutReport> {
  const started = performance.now()
  const context = new BenchContext({ quick: options.quick, log })
  // BenchContext.close also empties var/bench-run, which a bench run of someone else may be using:
  // close it only when it has a lab of ours to stop.
  if ((await labStatus({ dir: LAB_DIR })).state !== 'running') cleanups.defer('the bench lab', () => context.close())
  const lab = await context.lab(LAB_USERS)
  await mkdir(path.join(repoRoot, 'var', 'scale-out-run'), { recursive: true })
  const runDir = await mkdtemp(path.join(repoRoot, 'var', 'scale-out-run', 'run-'))
  cleanups.defer('the run folder', () => rm(runDir, { recursive: true, force: true }))

  const pairs = options.resets / 2
  const resetUsernames = Array.from({ length: pairs }, (_, i) => bulkUsername(lab, FIRST_RESET_USER + i))
  // Deferred before any reset is sent: whatever happens, the lab gets its bench passwords back.
  cleanups.defer('the bench passwords', async () => {
    const failed = await restoreBenchPasswords(lab, resetUsernames.map((u) => `CN=${u},${lab.bulk.ou}`))
    log(`scale-out: restored the bench password of ${resetUsernames.length - failed.length}/${resetUsernames.length} reset users`)
    for (const line of failed.slice(0, 5)) log(`scale-out: cannot restore ${line}`)
  })

  log(`scale-out: PostgreSQL at ${new URL(DATABASE_URL).host}, lab ${lab.address}; one node and its agent catch up first`)
  const cluster = await ScaleOutCluster.open({ lab, runDir, databaseUrl: DATABASE_URL, log })
  cleanups.defer('the tenant nodes and agents', () => cluster.close())
  const hashes = async () => (await cluster.store.passwordHashSync.list(cluster.tenant.id, { limit: 1, offset: 0 })).total
  await waitFor(`${LAB_USERS} hashes in the tenant`, async () => (await hashes()) >= LAB_USERS, { timeoutMs: 10 * 60_000, intervalMs: 250 })

  const resetUsers = await Promise.all(resetUsernames.map((u) => resetUser(cluster, lab, u)))
  const signInUpns = Array.from({ length: SIGN_IN_USERS.last - SIGN_IN_USERS.first + 1 }, (_, i) => upnOf(lab, bulkUsername(lab, SIGN_IN_USERS.first + i)))
  let passwords = new Map(resetUsers.map((u) => [u.upn, lab.bulk.password]))
  const phases: PhaseRecord[] = []
  const checks: Check[] = []
  for (const nodes of [1, 2]) {
    if (nodes === 2) {
      log('scale-out: starting node b and its agent')
      await cluster.addNode('b')
    }
    const items = buildLoadItems({ ...options, resetUsers, signInUpns, signInPassword: lab.bulk.password, tenantName: cluster.tenant.name, seed: nodes })
    const phase = await runPhase(nodes === 1 ? '1-node' : '2-nodes', cluster, items, passwords, options, lab, runDir, log)
    phases.push(phase)
    checks.push(...(await checkPhase(phase, cluster, lab, log)))
    passwords = new Map([...passwords].map(([upn, before]) => [upn, acceptedPasswords(phase).get(upn)?.at(-1) ?? before]))
  }

  const rows = phases.flatMap(phaseRows)
  const ratio = Math.round((rows[3]!.value / rows[0]!.value) * 100) / 100
  return {
    machine: await describeMachine(),
    quick: options.quick,
    rows: [...rows, { name: '2-nodes / 1-node', value: ratio, unit: 'x', n: 2, p50: null, p99: null }],
    ratio,
    cpu: Object.fromEntries(phases.map((p) => [p.name, p.cpu])),
    bottleneck: explainBottleneck(rows, phases),
    checks,
    noneLostOrDuplicated: checks.every((c) => c.ok),
    seconds: (performance.now() - started) / 1000,
  }
}

/** One phase's load through every node of the cluster, with the CPU each process group used meanwhile. */
async function runPhase(
  name: string,
  cluster: ScaleOutCluster,
  items: LoadItem[],
  passwordsBefore: ReadonlyMap<string, string>,
  options: ScaleOutOptions,
  lab: LabInfo,
  runDir: string,
  log: (line: string) => void,
): Promise<PhaseRecord> {
  const clientsPerNode = options.clients / cluster.nodes.length
  const plan: LoadPlan = {
    tenantName: cluster.tenant.name,
    adminToken: cluster.adminToken,
    nodes: cluster.nodes.map((n) => ({ name: n.name, url: n.url, certFile: n.certFile })),
    queues: dealToNodes(items, cluster.nodes.length),
    clientsPerNode,
    requestTimeoutMs: 90_000,
  }
  // The plan holds passwords and the admin token: readable by this user only, removed with the run folder.
  const planFile = path.join(runDir, `${name}-plan.json`)
  await writeFile(planFile, JSON.stringify(plan), { mode: 0o600 })
  const samba = processTree((JSON.parse(readFileSync(labPaths(lab.dir).pidFile, 'utf8')) as { pid: number }).pid)
  const groups = () => ({
    'tenant nodes': cluster.nodes.map((n) => n.pid),
    agents: cluster.agents.map((a) => a.pid),
    samba,
    postgres: processesNamed('postgres'),
    'run itself': [process.pid],
  })
  log(`scale-out: ${name}: ${items.length} items (${options.resets} resets, ${options.signIns} sign-ins) on ${cluster.nodes.length} node(s), ${clientsPerNode} clients each`)
  const before = cpuSnapshot(groups())
  const startedAt = Date.now()
  const results = await runLoad(planFile, path.join(runDir, `${name}-results.json`), 30 * 60_000, log)
  const endedAt = Date.now()
  const usage = cpuUsage(before, cpuSnapshot(groups()))
  const load = { cpuSeconds: results.cpuSeconds, cores: Math.round((results.cpuSeconds / usage.seconds) * 100) / 100 }
  const cpu = { ...usage, groups: { ...usage.groups, 'load generator': load } }
  log(`scale-out: ${name}: ${results.outcomes.length} requests in ${(results.wallMs / 1000).toFixed(1)} s`)
  return {
    name,
    nodes: cluster.nodes.length,
    clientsPerNode,
    items,
    results,
    startedAt,
    endedAt,
    agentDirs: cluster.agents.map((a) => a.dir),
    passwordsBefore,
    cpu,
  }
}

async function checkPhase(phase: PhaseRecord, cluster: ScaleOutCluster, lab: LabInfo, log: (line: string) => void): Promise<Check[]> {
  const checks = [
    ...checkOutcomes(phase, cluster.tenant.name),
    ...(await checkAudit(phase, cluster.store, cluster.tenant.id)),
    checkAgentEvents(phase),
    await checkAdPasswords(phase, lab),
  ]
  for (const c of checks) log(`scale-out: ${phase.name}: ${c.ok ? 'ok' : 'FAIL'}: ${c.name}: ${c.detail}`)
  return checks
}

async function resetUser(cluster: ScaleOutCluster, lab: LabInfo, username: string): Promise<ResetUser> {
  const upn = upnOf(lab, username)
  const user = await cluster.store.users.getByUserPrincipalName(cluster.tenant.id, upn)
  if (!user) throw new Error(`${upn} is not in the tenant after the first import`)
  return { userId: user.id, upn, givenName: user.givenName, surname: user.surname }
}

function upnOf(lab: LabInfo, username: string): string {
  return `${username}@${lab.dnsDomain}`
}
