/** @module `writeback`: a self-service reset from submit to result page, against a raw admin `unicodePwd` modify. */
import { randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { Attribute, Change, Client } from 'ldapts'
import { RecordingCaptcha } from '../cloud/sspr/recording-captcha.ts'
import { type RunningCloud, startCloud } from '../cloud/start-cloud.ts'
import { loadConfig } from '../config/load-config.ts'
import { checkBannedPassword } from '../crypto/banned-passwords.ts'
import { bulkUsername } from '../lab/bulk-users.ts'
import type { LabInfo } from '../lab/lab-info.ts'
import type { BenchContext } from './bench-context.ts'
import { type BenchResult, latencyResult } from './bench-result.ts'
import { PortalClient } from './portal-client.ts'
import { type SsprWalk, submitNewPassword, walkToPasswordForm } from './sspr-walk.ts'
import { prepareBenchAgent } from './start-bench-agent.ts'
import { summarize } from './summarize.ts'
import { waitFor } from './wait-for.ts'
import { withTimeout } from './with-timeout.ts'

const labUsers = 1_000

interface BenchUser {
  readonly dn: string
  readonly upn: string
  readonly email: string
}

/**
 * With a tenant that has SSPR and writeback on (lab sinks catch the codes) and a running agent
 * that has imported the bench OU, each round walks the portal over HTTPS as a different bench user
 * (the throttle counts per user ID) through the captcha and the email gate, then times only the
 * final submit: from POST /sspr/password to the whole result page saying the password was reset.
 * The floor is the lab admin's `unicodePwd` replace on a bench user over an already open LDAPS
 * connection. Both sides get one untimed warm-up; every password touched is set back to the
 * lab's bench password at the end.
 *
 * @example
 * const result = await runWriteback(context)
 */
export async function runWriteback(context: BenchContext): Promise<BenchResult> {
  const name = 'writeback'
  const lab = await context.lab(labUsers)
  const rounds = context.quick ? 5 : 30
  const runDir = await mkdtemp(path.join(context.workDir, `${name}-`))
  const admin = new Client({ url: lab.ldapUrl, tlsOptions: { ca: readFileSync(lab.caCertPath) }, timeout: 20_000 })
  const captcha = new RecordingCaptcha()
  const cloud = await startSsprTenant(path.join(runDir, 'tenant'), captcha)
  const portal = new PortalClient(cloud)
  const touched = new Set<string>()
  try {
    await admin.bind(lab.admin.dn, lab.admin.password)
    // The floor runs before the agent starts, so neither measurement competes with the other.
    const floors: number[] = []
    for (let i = 0; i <= Math.max(3, rounds); i++) {
      const user = benchUser(lab, labUsers - i)
      touched.add(user.dn)
      const started = performance.now()
      await setPassword(admin, user.dn, `Fl-${randomBytes(6).toString('hex')}-Qx7!`)
      if (i > 0) floors.push(performance.now() - started)
    }
    context.log(`${name}: floor (admin unicodePwd replace) ${floors.map((ms) => ms.toFixed(1)).join(' / ')} ms`)

    const measured = Array.from({ length: rounds + 1 }, (_, i) => benchUser(lab, i + 1))
    const start = await prepareBenchAgent(cloud, lab, path.join(runDir, 'agent'))
    const setupStarted = performance.now()
    const agent = await start()
    try {
      await withTimeout(`${name}: the first full import`, agent.firstRun, 15 * 60_000)
      for (const user of measured) await registerEmail(cloud, user)
      context.log(`${name}: setup: first import and ${measured.length} registered emails in ${((performance.now() - setupStarted) / 1000).toFixed(1)} s`)

      const walk: SsprWalk = { portal, base: `/t/${cloud.tenant.name}/sspr`, captcha, sink: cloud.labSink! }
      const samples: number[] = []
      for (const [i, user] of measured.entries()) {
        await walkToPasswordForm(walk, user.upn, user.email)
        const password = await strongPassword(cloud, user)
        touched.add(user.dn)
        const ms = await submitNewPassword(walk, password)
        await expectSignIn(lab, user, password)
        if (i === 0) {
          context.log(`${name}: warm-up reset (untimed): ${ms.toFixed(0)} ms`)
          continue
        }
        samples.push(ms)
        context.log(`${name}: round ${i}/${rounds}: ${ms.toFixed(0)} ms`)
      }
      return latencyResult(name, samples, summarize(floors).p50)
    } finally {
      await withTimeout(`${name}: the agent to stop`, agent.stop(), 60_000)
    }
  } finally {
    // The lab promises every bench user lab.bulk.password; an admin reset skips history, so it takes.
    for (const dn of touched) {
      await setPassword(admin, dn, lab.bulk.password).catch((err: unknown) =>
        context.log(`${name}: cannot restore the password of ${dn}: ${err instanceof Error ? err.message : String(err)}`),
      )
    }
    await admin.unbind().catch(() => {})
    portal.close()
    await cloud.close()
    await rm(runDir, { recursive: true, force: true })
  }
}

/** A tenant on the product defaults plus lab sinks for the codes, with SSPR and writeback switched on. */
async function startSsprTenant(dataDir: string, captcha: RecordingCaptcha): Promise<RunningCloud> {
  await mkdir(dataDir, { recursive: true, mode: 0o700 })
  const configFile = path.join(dataDir, 'idbridge.config.json')
  await writeFile(configFile, JSON.stringify({ dataDir, http: { host: '127.0.0.1', port: 0 }, sspr: { labSinks: true } }))
  const cloud = await startCloud(loadConfig({ file: configFile, env: {} }), { captcha })
  try {
    const settings = { ...cloud.tenant.settings, ssprEnabled: true, passwordWritebackEnabled: true }
    await cloud.store.tenants.updateSettings(cloud.tenant.id, settings)
    if (!cloud.labSink) throw new Error('writeback: the tenant started without its lab sinks')
    return cloud
  } catch (err) {
    await cloud.close()
    throw err
  }
}

function benchUser(lab: LabInfo, i: number): BenchUser {
  const username = bulkUsername(lab, i)
  return { dn: `CN=${username},${lab.bulk.ou}`, upn: `${username}@${lab.dnsDomain}`, email: `${username}@home.test` }
}

async function setPassword(admin: Client, dn: string, password: string): Promise<void> {
  const value = Buffer.from(`"${password}"`, 'utf16le')
  await admin.modify(dn, [new Change({ operation: 'replace', modification: new Attribute({ type: 'unicodePwd', values: [value] }) })])
}

/** The user as synced, with an alternate email registered so the email gate is theirs. */
async function registerEmail(cloud: RunningCloud, user: BenchUser): Promise<void> {
  const synced = await waitFor(
    `writeback: ${user.upn} in the tenant`,
    () => cloud.store.users.getByUserPrincipalName(cloud.tenant.id, user.upn),
    { timeoutMs: 60_000, intervalMs: 50 },
  )
  await cloud.store.securityInfo.put(cloud.tenant.id, synced.id, {
    email: user.email,
    phone: null,
    totp: null,
    questions: [],
    updatedAt: Date.now(),
  })
}

/** A fresh random password the tenant's banned-password check accepts for this user, so the submit is never refused. */
async function strongPassword(cloud: RunningCloud, user: BenchUser): Promise<string> {
  const record = await cloud.store.users.getByUserPrincipalName(cloud.tenant.id, user.upn)
  const tenant = await cloud.store.tenants.get(cloud.tenant.id)
  for (;;) {
    const password = `Wb-${randomBytes(6).toString('hex')}-Qx7!`
    const verdict = checkBannedPassword(password, {
      givenName: record?.givenName ?? null,
      surname: record?.surname ?? null,
      tenantName: cloud.tenant.name,
      customTerms: tenant?.settings.customBannedPasswords ?? [],
    })
    if (verdict.accepted) return password
  }
}

/** AD took the new password: the user binds with it (untimed). */
async function expectSignIn(lab: LabInfo, user: BenchUser, password: string): Promise<void> {
  const client = new Client({ url: lab.ldapUrl, tlsOptions: { ca: readFileSync(lab.caCertPath) }, timeout: 20_000 })
  try {
    await client.bind(user.upn, password)
  } catch (err) {
    throw new Error(`writeback: ${user.upn} cannot bind with the new password: ${err instanceof Error ? err.message : String(err)}`)
  } finally {
    await client.unbind().catch(() => {})
  }
}
