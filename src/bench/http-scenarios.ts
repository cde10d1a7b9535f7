/**
 * @module `http-signin` and `http-sspr-start`: HTTPS throughput of the tenant's sign-in and SSPR
 * start with autocannon, against GET /healthz of the same server, with p99 latency and the RSS of
 * the tenant process.
 */
import { readFileSync } from 'node:fs'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { type RunningCloud, startCloud } from '../cloud/start-cloud.ts'
import { UserDirectory } from '../cloud/users/user-directory.ts'
import { loadConfig } from '../config/load-config.ts'
import { systemClock } from '../time/clock.ts'
import { type LoadOptions, type LoadSummary, runAutocannon } from './autocannon-child.ts'
import type { BenchContext } from './bench-context.ts'
import type { BenchResult } from './bench-result.ts'
import { PortalClient } from './portal-client.ts'
import { newUserFixture } from '../store/new-user-fixture.ts'

const CONNECTIONS = 10
const USER = 'bench.signin@contoso.test'
const PASSWORD = 'Bench-Signin-Qx7!2026'

/** What one HTTP scenario loads, once its tenant is up. */
interface Load {
  readonly method: 'GET' | 'POST'
  readonly path: string
  readonly headers: Readonly<Record<string, string>>
  readonly body?: string
  /** The status every request must get, or the run is not measuring what it says. */
  readonly status: number
}

/**
 * POST /t/<tenant>/signin with the right password of a cloud user whose verifier is the product's
 * scrypt (a password set in the tenant): every request is a whole successful sign-in — form and
 * CSRF check, user and lockout lookups, scrypt, a new session and an audit entry — answered with
 * 303 to /me. The right password keeps smart lockout out of it (only failures count), so one user
 * is a fair load; the CSRF cookie and `_csrf` field come from one GET of the sign-in page and are
 * replayed on every request, as one browser tab submitting again and again would.
 *
 * @example
 * const result = await runHttpSignIn(context) // value and floor in ops/s
 */
export function runHttpSignIn(context: BenchContext): Promise<BenchResult> {
  return runHttpScenario(context, 'http-signin', async (cloud) => {
    const created = await new UserDirectory(cloud.store, systemClock).create(
      cloud.tenant,
      newUserFixture({
        userPrincipalName: USER,
        givenName: 'Bench',
        surname: 'Signin',
        displayName: 'Bench Signin',
        mail: USER,
      }),
      { name: 'bench', correlationId: 'bench-http-signin' },
      PASSWORD,
    )
    if (!created.ok) throw created.error
    const base = `/t/${cloud.tenant.name}/signin`
    const portal = new PortalClient(cloud)
    try {
      const page = await portal.get(base)
      const csrf = /name="_csrf" value="([A-Za-z0-9_-]{43})"/.exec(page.body)?.[1]
      if (page.status !== 200 || !csrf) throw new Error(`http-signin: GET ${base} gave ${page.status} without a CSRF field`)
      const check = await portal.post(base, { username: USER, password: PASSWORD })
      if (check.status !== 303) throw new Error(`http-signin: a sign-in with the right password gave ${check.status}, not 303`)
      return {
        method: 'POST',
        path: base,
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          cookie: `__Host-idb_csrf=${csrf}`,
          origin: new URL(cloud.url).origin,
        },
        body: new URLSearchParams({ username: USER, password: PASSWORD, _csrf: csrf }).toString(),
        status: 303,
      }
    } finally {
      portal.close()
    }
  })
}

/**
 * GET /t/<tenant>/sspr with SSPR on: every request starts a flow (a new flow cookie and its stored
 * state) and draws a new captcha, i.e. the start of a self-service reset. The identify POST behind
 * it needs a fresh flow cookie and captcha answer per request, which a fixed autocannon request
 * cannot carry, so the start is what this scenario measures.
 *
 * @example
 * const result = await runHttpSsprStart(context)
 */
export function runHttpSsprStart(context: BenchContext): Promise<BenchResult> {
  return runHttpScenario(context, 'http-sspr-start', async (cloud) => {
    await cloud.store.tenants.updateSettings(cloud.tenant.id, { ...cloud.tenant.settings, ssprEnabled: true })
    const base = `/t/${cloud.tenant.name}/sspr`
    const portal = new PortalClient(cloud)
    try {
      const page = await portal.get(base)
      if (page.status !== 200) throw new Error(`http-sspr-start: GET ${base} gave ${page.status}, not 200`)
    } finally {
      portal.close()
    }
    return { method: 'GET', path: base, headers: {}, status: 200 }
  })
}

/**
 * A fresh tenant on the product defaults (SQLite, port 0), in this process; autocannon runs in a
 * child process with `connections: 10` for 5 s (quick: 2 s) per side, the /healthz floor first.
 * Both sides get an untimed 1 s warm-up. RSS is sampled every 100 ms during the measured load.
 */
async function runHttpScenario(
  context: BenchContext,
  name: string,
  prepare: (cloud: RunningCloud) => Promise<Load>,
): Promise<BenchResult> {
  const durationSeconds = context.quick ? 2 : 5
  await mkdir(context.workDir, { recursive: true })
  const runDir = await mkdtemp(path.join(context.workDir, `${name}-`))
  const cloud = await startTenant(path.join(runDir, 'tenant'))
  try {
    const load = await prepare(cloud)
    const ca = readFileSync(cloud.certFile, 'utf8')
    const healthz: LoadOptions = {
      url: `${cloud.url}/healthz`,
      method: 'GET',
      headers: {},
      connections: CONNECTIONS,
      durationSeconds,
      ca,
    }
    const measured: LoadOptions = {
      url: `${cloud.url}${load.path}`,
      method: load.method,
      headers: load.headers,
      ...(load.body === undefined ? {} : { body: load.body }),
      connections: CONNECTIONS,
      durationSeconds,
      ca,
    }
    const rssBefore = process.memoryUsage.rss()
    await runAutocannon({ ...healthz, durationSeconds: 1 })
    const floor = expectStatus(name, 'GET /healthz', await runAutocannon(healthz), 200)
    await runAutocannon({ ...measured, durationSeconds: 1 })
    const sampler = sampleRss()
    const loaded = await runAutocannon(measured).finally(sampler.stop)
    const value = expectStatus(name, `${load.method} ${load.path}`, loaded, load.status)
    const mib = (bytes: number) => (bytes / 2 ** 20).toFixed(0)
    context.log(
      `${name}: ${load.method} ${load.path} ${value.rate.toFixed(0)} req/s (${value.total} in ${value.seconds} s, p50 ${value.p50} ms, p99 ${value.p99} ms); ` +
        `floor GET /healthz ${floor.rate.toFixed(0)} req/s (p50 ${floor.p50} ms, p99 ${floor.p99} ms); ` +
        `tenant RSS ${mib(rssBefore)} MiB before, peak ${mib(sampler.peak())} MiB under load, ${mib(process.memoryUsage.rss())} MiB after`,
    )
    return {
      name,
      value: Math.round(value.rate * 10) / 10,
      unit: 'ops/s',
      floor: Math.round(floor.rate),
      ratio: Math.round((value.rate / floor.rate) * 1000) / 1000,
      n: value.total,
      p50: value.p50,
      p99: value.p99,
    }
  } finally {
    await cloud.close()
    await rm(runDir, { recursive: true, force: true })
  }
}

async function startTenant(dataDir: string): Promise<RunningCloud> {
  await mkdir(dataDir, { recursive: true, mode: 0o700 })
  const configFile = path.join(dataDir, 'idbridge.config.json')
  await writeFile(configFile, JSON.stringify({ dataDir, http: { host: '127.0.0.1', port: 0 } }))
  return startCloud(loadConfig({ file: configFile, env: {} }))
}

/** Throws unless every request completed with `status`, without errors or timeouts. */
function expectStatus(name: string, what: string, summary: LoadSummary, status: number): LoadSummary {
  const wrong = Object.entries(summary.statuses).filter(([code]) => code !== String(status))
  if (summary.total === 0 || wrong.length > 0 || summary.errors > 0 || summary.timeouts > 0) {
    throw new Error(
      `${name}: ${what} under load: ${summary.total} completed, statuses ${JSON.stringify(summary.statuses)}, ` +
        `${summary.errors} errors, ${summary.timeouts} timeouts; expected every answer to be ${status}`,
    )
  }
  return summary
}

function sampleRss(): { peak(): number; stop(): void } {
  let peak = process.memoryUsage.rss()
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 100)
  return { peak: () => peak, stop: () => clearInterval(timer) }
}
