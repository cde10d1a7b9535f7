/** @module `phs-initial-1k`, `phs-initial-10k` and `delta-password`: password hash sync from agent start, and per change. */
import { setTimeout as sleep } from 'node:timers/promises'
import { checkPassword } from '../crypto/password-verifier.ts'
import { bulkUsername } from '../lab/bulk-users.ts'
import type { LabInfo } from '../lab/lab-info.ts'
import { runCommand } from '../lab/run-command.ts'
import type { BenchContext } from './bench-context.ts'
import { type BenchResult, latencyResult } from './bench-result.ts'
import type { BenchTenant } from './bench-tenant.ts'
import { rawDrsWalk } from './raw-drs-walk.ts'
import { rawPagedRead } from './raw-paged-read.ts'
import { withBenchAgent } from './start-bench-agent.ts'
import { summarize } from './summarize.ts'
import { waitFor } from './wait-for.ts'
import { withTimeout } from './with-timeout.ts'

const runTimeoutMs = 20 * 60_000

/**
 * From agent start (directory full import first, as PHS waits for it) until every bench user's
 * hash is in the tenant and the bench password signs in. The floor is what the same work costs
 * without idbridge: a raw paged LDAP read of the users plus a raw DRS walk of the naming context.
 */
export async function runPhsInitial(context: BenchContext, name: string, users: number): Promise<BenchResult> {
  const lab = await context.lab(users)
  const repetitions = context.quick ? 1 : 3
  await rawPagedRead(lab, lab.bulk.ou)
  await rawDrsWalk(lab)
  const floors: number[] = []
  for (let i = 0; i < repetitions; i++) {
    const read = await rawPagedRead(lab, lab.bulk.ou)
    const walk = await rawDrsWalk(lab)
    if (walk.objects < users) throw new Error(`${name}: the raw DRS walk returned ${walk.objects} objects, fewer than ${users} users`)
    floors.push(read.ms + walk.ms)
    context.log(`${name}: floor: LDAP ${read.ms.toFixed(0)} ms + DRS ${walk.ms.toFixed(0)} ms (${walk.objects} objects)`)
  }
  const samples: number[] = []
  for (let i = 0; i < repetitions; i++) {
    samples.push(await withPhsAgent(context, name, users, async () => undefined))
    context.log(`${name}: run ${i + 1}/${repetitions}: every hash in the tenant after ${samples.at(-1)!.toFixed(0)} ms`)
  }
  return latencyResult(name, samples, summarize(floors).p50)
}

/**
 * With PHS caught up on the 1k lab, each round sets a new password with `samba-tool user
 * setpassword` (a real client, password on stdin) and times until the tenant accepts it. The
 * floor is samba-tool's own run, which both sides pay.
 */
export async function runDeltaPassword(context: BenchContext): Promise<BenchResult> {
  const name = 'delta-password'
  const users = 1_000
  const lab = await context.lab(users)
  const rounds = context.quick ? 3 : 20
  const floors: number[] = []
  const samples: number[] = []
  await withPhsAgent(context, name, users, async (tenant) => {
    for (let i = 0; i < rounds; i++) {
      const username = bulkUsername(lab, (i % users) + 1)
      const password = `Bench-Delta-${i}-${Date.now().toString(36)}!a`
      const started = performance.now()
      await setPassword(lab, username, password)
      floors.push(performance.now() - started)
      await waitFor(`${name}: round ${i + 1}: the tenant to accept the new password`, () => accepts(tenant, lab, username, password), {
        timeoutMs: 60_000,
        intervalMs: 20,
      })
      samples.push(performance.now() - started)
      context.log(`${name}: round ${i + 1}/${rounds}: ${samples.at(-1)!.toFixed(0)} ms (samba-tool ${floors.at(-1)!.toFixed(0)} ms)`)
      await sleep(300)
    }
    // Back to the lab's password, so later scenarios and runs find the users as seeded.
    for (let i = 0; i < Math.min(rounds, users); i++) await setPassword(lab, bulkUsername(lab, i + 1), lab.bulk.password)
  })
  return latencyResult(name, samples, summarize(floors).p50)
}

/** A fresh tenant with PHS on and a PHS agent on the bench OU; `work` runs once every hash arrived. */
async function withPhsAgent(
  context: BenchContext,
  name: string,
  users: number,
  work: (tenant: BenchTenant) => Promise<void>,
): Promise<number> {
  const lab = await context.lab(users)
  return withBenchAgent(context, name, lab, { phs: true }, async ({ tenant, agent, startedAt }) => {
    await withTimeout(`${name}: the first full import`, agent.firstRun, runTimeoutMs)
    await waitFor(`${name}: ${users} hashes in the tenant`, async () => (await hashCount(tenant)) >= users, {
      timeoutMs: runTimeoutMs,
      intervalMs: 50,
    })
    const elapsed = performance.now() - startedAt
    const sample = bulkUsername(lab, users)
    if (!(await accepts(tenant, lab, sample, lab.bulk.password))) throw new Error(`${name}: ${sample} cannot sign in with the bench password`)
    await work(tenant)
    return elapsed
  })
}

async function hashCount(tenant: BenchTenant): Promise<number> {
  return (await tenant.cloud.store.passwordHashSync.list(tenant.cloud.tenant.id, { limit: 1, offset: 0 })).total
}

async function accepts(tenant: BenchTenant, lab: LabInfo, username: string, password: string): Promise<boolean> {
  const { store, tenant: t } = tenant.cloud
  const user = await store.users.getByUserPrincipalName(t.id, `${username}@${lab.dnsDomain}`)
  const credential = user && (await store.credentials.get(t.id, user.id))
  return Boolean(credential && (await checkPassword(credential.verifier, password)))
}

async function setPassword(lab: LabInfo, username: string, password: string): Promise<void> {
  const result = await runCommand('samba-tool', ['user', 'setpassword', username, '-H', lab.samLdbPath], {
    input: `${password}\n${password}\n`,
    timeoutMs: 30_000,
  })
  if (result.code !== 0) throw new Error(`samba-tool setpassword ${username} failed: ${result.stderr.slice(0, 300)}`)
}
