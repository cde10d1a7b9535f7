/** @module `delta-attribute`: from an AD attribute change to the tenant showing it, against a raw modify and read-back. */
import { readFileSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import path from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { Attribute, Change, Client } from 'ldapts'
import type { RunningCloud } from '../cloud/start-cloud.ts'
import { bulkUsername } from '../lab/bulk-users.ts'
import type { LabInfo } from '../lab/lab-info.ts'
import type { BenchContext } from './bench-context.ts'
import { type BenchResult, latencyResult } from './bench-result.ts'
import { startBenchTenant } from './bench-tenant.ts'
import { prepareBenchAgent } from './start-bench-agent.ts'
import { summarize } from './summarize.ts'
import { waitFor } from './wait-for.ts'
import { withTimeout } from './with-timeout.ts'

/** The lab the change happens in: the 10k one, so each delta runs against a realistically sized scope. */
const labUsers = 10_000
/** One change is never allowed to take longer than this; the target is 5 s. */
const changeTimeoutMs = 60_000

/**
 * With a running agent (product defaults: change notification on, presence check every 60 s) that
 * has finished its first full import, each round sets displayName of a different bench user over
 * LDAPS as the lab admin and times until the tenant's store shows the new value. The floor is the
 * same admin's modify plus a base read-back of the value, over an already open connection.
 *
 * @example
 * const result = await runDeltaAttribute(context)
 */
export async function runDeltaAttribute(context: BenchContext): Promise<BenchResult> {
  const name = 'delta-attribute'
  const lab = await context.lab(labUsers)
  const rounds = context.quick ? 1 : 10
  const runDir = await mkdtemp(path.join(context.workDir, `${name}-`))
  const admin = new Client({ url: lab.ldapUrl, tlsOptions: { ca: readFileSync(lab.caCertPath) }, timeout: 20_000 })
  const tenant = await startBenchTenant(path.join(runDir, 'tenant'))
  try {
    await admin.bind(lab.admin.dn, lab.admin.password)
    // The floor runs before the agent starts, so neither measurement competes with the other.
    const floors: number[] = []
    for (let i = 0; i < Math.max(3, rounds); i++) floors.push(await rawModifyReadBack(admin, lab, i, `Bench Floor ${i}`))
    const start = await prepareBenchAgent(tenant.cloud, lab, path.join(runDir, 'agent'))
    const setupStarted = performance.now()
    const agent = await start()
    try {
      await withTimeout(`${name}: the first full import`, agent.firstRun, 15 * 60_000)
      await waitFor(`${name}: ${labUsers} users in the tenant`, async () => (await tenant.syncedCount()) >= labUsers, {
        timeoutMs: 60_000,
      })
      context.log(`${name}: setup: first full import done in ${((performance.now() - setupStarted) / 1000).toFixed(1)} s`)
      context.log(`${name}: floor (admin modify + read-back) ${floors.map((ms) => ms.toFixed(1)).join(' / ')} ms`)
      await sleep(1_000)

      const samples: number[] = []
      for (let i = 0; i < rounds; i++) {
        const value = `Bench Delta ${i} ${Date.now()}`
        const started = performance.now()
        await setDisplayName(admin, lab, i, value)
        await waitFor(`${name}: round ${i + 1}: the tenant to show the new displayName`, () => displayNameIs(tenant.cloud, lab, i, value), {
          timeoutMs: changeTimeoutMs,
          intervalMs: 20,
        })
        samples.push(performance.now() - started)
        context.log(`${name}: round ${i + 1}/${rounds}: ${samples.at(-1)!.toFixed(0)} ms`)
        // Rounds apart, so each is a change of its own and not folded into the previous delta.
        await sleep(500)
      }
      return latencyResult(name, samples, summarize(floors).p50)
    } finally {
      await withTimeout(`${name}: the agent to stop`, agent.stop(), 60_000)
    }
  } finally {
    await admin.unbind().catch(() => {})
    await tenant.close()
    await rm(runDir, { recursive: true, force: true })
  }
}

function benchUser(lab: LabInfo, round: number): { dn: string; upn: string } {
  // Round i changes bench user i+1, so consecutive rounds never touch the same entry.
  const username = bulkUsername(lab, (round % labUsers) + 1)
  return { dn: `CN=${username},${lab.bulk.ou}`, upn: `${username}@${lab.dnsDomain}` }
}

async function setDisplayName(admin: Client, lab: LabInfo, round: number, value: string): Promise<void> {
  const change = new Change({ operation: 'replace', modification: new Attribute({ type: 'displayName', values: [value] }) })
  await admin.modify(benchUser(lab, round).dn, [change])
}

async function rawModifyReadBack(admin: Client, lab: LabInfo, round: number, value: string): Promise<number> {
  const started = performance.now()
  await setDisplayName(admin, lab, round, value)
  const { searchEntries } = await admin.search(benchUser(lab, round).dn, { scope: 'base', attributes: ['displayName'] })
  const ms = performance.now() - started
  if (searchEntries[0]?.displayName !== value) throw new Error(`delta-attribute: the floor read back ${String(searchEntries[0]?.displayName)}`)
  return ms
}

async function displayNameIs(cloud: RunningCloud, lab: LabInfo, round: number, value: string): Promise<boolean> {
  const user = await cloud.store.users.getByUserPrincipalName(cloud.tenant.id, benchUser(lab, round).upn)
  return user?.displayName === value
}
