import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { after, before, describe, it } from 'node:test'
import { BrowserSession } from '../web/browser-session.ts'
import { CSRF_COOKIE } from '../web/form-csrf.ts'
import { addUser, synced } from '../sspr/sspr-test-support.ts'
import { createTestCloud, ORIGIN, type TestCloud } from '../web/test-cloud-app.ts'
import { apiCase, fieldCase, type FuzzIds, type FuzzRequest, formCase, pageQueryCase } from './fuzz-cases.ts'
import { responseProblems } from './fuzz-checks.ts'
import { FuzzRandom, fuzzSeed } from './fuzz-random.ts'
import { stateDigest } from './fuzz-state.ts'
import { FuzzPortal, type Station } from './fuzz-stations.ts'
import { apiOperations, formsOf, validBody } from './fuzz-targets.ts'
import { ECHO_MARKER, fieldVariants } from './fuzz-values.ts'

/**
 * Bounded random and mutated input to every form the pages render and every operation of the
 * OpenAPI document, in process. Replay a failure with IDBRIDGE_FUZZ_SEED=<seed>; the seed, case
 * number and request are in every failure message.
 */

const FORM_CASES = 220
const API_CASES = 420
/** Each half stops early at its budget, so the file stays well under 30 s on a slow machine. */
const BUDGET_MS = 9_000
const REQUEST_TIMEOUT_MS = 5_000
const USER = 'urn:ietf:params:scim:schemas:core:2.0:User'

const withTimeout = <T>(work: Promise<T>, what: string): Promise<T> =>
  Promise.race([work, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`${what} hung`)), REQUEST_TIMEOUT_MS).unref())])

describe('fuzzing every public form and API input', () => {
  const seed = fuzzSeed()
  const rng = new FuzzRandom(seed)
  const crashes: unknown[] = []
  const onCrash = (error: unknown) => crashes.push(error)
  let cloud: TestCloud
  let portal: FuzzPortal
  let ids: FuzzIds & { userId: string; userName: string; groupId: string; doomedAnchor: string }
  let digest = ''

  before(async () => {
    process.on('uncaughtException', onCrash)
    process.on('unhandledRejection', onCrash)
    cloud = await createTestCloud()
    portal = await FuzzPortal.create(cloud)
    ids = {
      userId: '',
      userName: '',
      groupId: '',
      runId: 'fz-run-0001',
      token: cloud.token,
      otherToken: (await cloud.otherTenant('fabrikam')).token,
      n: 0,
      doomedAnchor: randomBytes(16).toString('base64'),
    }
    await ensureTargets()
    digest = await snapshot()
  })
  after(async () => {
    process.off('uncaughtException', onCrash)
    process.off('unhandledRejection', onCrash)
    await cloud.dispose()
  })

  const snapshot = () => stateDigest(cloud.store, [...portal.userIds(), ids.userId])

  /** The user, group and held-back sync run that {id} points at; a case that deleted one gets it back. */
  async function ensureTargets(): Promise<boolean> {
    const { store, tenant } = cloud
    let renewed = false
    const user = ids.userId ? await store.users.get(tenant.id, ids.userId) : undefined
    if (!user) {
      renewed = true
      const json = { schemas: [USER], userName: `fz-target-${ids.n}@contoso.test`, active: true }
      const made = await cloud.api('/scim/v2/Users', { method: 'POST', json })
      ids.userId = ((await made.json()) as { id: string }).id
    }
    ids.userName = (await store.users.get(tenant.id, ids.userId))!.userPrincipalName
    if (!ids.groupId || !(await store.groups.get(tenant.id, ids.groupId))) {
      renewed = true
      const made = await cloud.api('/scim/v2/Groups', { method: 'POST', json: { displayName: `fz-target-group-${ids.n}` } })
      ids.groupId = ((await made.json()) as { id: string }).id
    }
    const run = await store.syncRuns.get(tenant.id, ids.runId)
    if (run?.status !== 'awaiting-delete-confirmation') {
      renewed = true
      if (!(await store.users.getByImmutableId(tenant.id, ids.doomedAnchor))) {
        await addUser(cloud, `fz-doomed-${ids.n}@contoso.test`, synced(ids.doomedAnchor))
      }
      const now = cloud.clock.now()
      await store.syncRuns.save({
        id: ids.runId, tenantId: tenant.id, agentId: 'fz-agent', kind: 'full', status: 'awaiting-delete-confirmation',
        startedAt: now, finishedAt: now, created: 0, updated: 0, deleted: 0, failed: 0,
        pendingDeletes: [{ immutableId: ids.doomedAnchor, userPrincipalName: 'fz-doomed@contoso.test', distinguishedName: null }],
        details: { created: [], updated: [], deleted: [], failed: [] },
      })
    }
    return renewed
  }

  /** Sends one case and returns the problems with it; a rejected request must leave the digest as it was. */
  async function send(n: number, request: FuzzRequest, cookies = '') {
    const headers = { ...request.init.headers, ...(cookies ? { cookie: cookies } : {}) }
    let res: Response
    let text: string
    try {
      res = await withTimeout(Promise.resolve(cloud.app.request(`${ORIGIN}${request.path}`, { ...request.init, headers })), 'the request')
      text = await withTimeout(res.text(), 'the response body')
    } catch (error) {
      // A hang or an exception that escaped the app: the case fails, the run goes on.
      digest = await snapshot()
      return { status: 0, text: '', problems: [String(error)] }
    }
    const problems = responseProblems({ status: res.status, headers: res.headers, text }, request.path)
    const now = await snapshot()
    if (res.status >= 400 && now !== digest) problems.push('a rejected request changed state')
    digest = now
    return { status: res.status, text, problems }
  }

  const describeFailure = (n: number, request: FuzzRequest, status: number, problems: string[], text: string) => {
    const sent = `${request.init.method} ${request.path.slice(0, 150)}`
    const body = text.replace(/\s+/g, ' ').slice(0, 300)
    return `seed ${seed} case #${n} (${request.label}) ${sent} → ${status}: ${problems.join('; ')}\n    ${body}`
  }

  it(`forms of every page: up to ${FORM_CASES} cases (seed ${seed})`, async (t) => {
    const stations: Station[] = portal.stations()
    const failures: string[] = []
    const deadline = performance.now() + BUDGET_MS
    let n = 0
    const seen = new Set<string>()
    const visits = new Map<Station, number>()
    for (; n < FORM_CASES && performance.now() < deadline; n++) {
      // Round the stations, and round each page's forms, so every form is reached early; what is
      // sent is random.
      const station = stations[n % stations.length]!
      const visit = visits.get(station) ?? 0
      visits.set(station, visit + 1)
      const { browser, page, html, valid } = await station.open()
      // Opening a page may sign in or start a flow; the case is judged against what follows.
      digest = await snapshot()
      const forms = formsOf(html)
      if (forms.length === 0) {
        failures.push(`${station.name}: the page has no form: ${html.replace(/\s+/g, ' ').slice(0, 200)}`)
        continue
      }
      const form = forms[visit % forms.length]!
      seen.add(`${station.name} → ${form.action}`)
      const request = rng.chance(0.1)
        ? pageQueryCase(rng, page)
        : formCase(rng, form, valid, browser.cookies.get(CSRF_COOKIE) ?? '')
      const cookies = [...browser.cookies].map(([k, v]) => `${k}=${v}`).join('; ')
      const { status, text, problems } = await send(n, request, cookies)
      if (problems.length) failures.push(describeFailure(n, request, status, problems, text))
      if (station.name === 'change password' && status < 400) {
        // Put the password back, so the next signed-in case can sign in with the one it knows.
        const me = (await cloud.store.users.getByUserPrincipalName(cloud.tenant.id, 'fz-me@contoso.test'))!
        await cloud.deps.users.setPassword(cloud.tenant, me.id, portal.password, { name: 'test', correlationId: 'fuzz' })
        digest = await snapshot()
      }
    }
    t.diagnostic(`${n} form cases over ${seen.size} forms: ${[...seen].sort().join(', ')}`)
    assert.ok(n >= 40, `only ${n} cases ran within the budget`)
    assert.ok(seen.size >= 12, `only ${seen.size} forms were reached`)
    assert.equal(failures.length, 0, failures.slice(0, 15).join('\n'))
  })

  it(`every operation of the OpenAPI document: up to ${API_CASES} cases (seed ${seed})`, async (t) => {
    const operations = apiOperations()
    // One random case per operation first, so all are reached on a slow machine too; then every
    // top-level field of every body broken each way; then random cases round the operations.
    const systematic = operations
      .filter((op) => op.hasBody)
      .flatMap((op) => Object.keys(validBody(op, ids, { withPassword: true })).map((field) => ({ op, field })))
      .flatMap((planned) => fieldVariants.map((variant) => ({ ...planned, variant })))
    const plan = [...operations.map((op) => ({ op, field: undefined, variant: undefined })), ...systematic]
    const failures: string[] = []
    const deadline = performance.now() + BUDGET_MS
    let n = 0
    const seen = new Set<string>()
    for (; n < API_CASES && performance.now() < deadline; n++) {
      if (await ensureTargets()) digest = await snapshot()
      ids.n = n
      const planned = plan[n]
      const op = planned?.op ?? operations[n % operations.length]!
      seen.add(`${op.method} ${op.path}`)
      const request = planned?.field
        ? fieldCase(rng, op, ids, validBody(op, ids), planned.field, planned.variant)
        : apiCase(rng, op, ids, validBody(op, ids, { withPassword: n % 3 === 0 }))
      const { status, text, problems } = await send(n, request)
      if (problems.length) failures.push(describeFailure(n, request, status, problems, text))
    }
    const fields = plan.slice(0, n).filter((p) => p.field).length
    t.diagnostic(`${n} API cases (${fields} with one field broken) over ${seen.size} of ${operations.length} operations`)
    assert.equal(seen.size, operations.length, 'every operation was fuzzed')
    assert.equal(failures.length, 0, failures.slice(0, 15).join('\n'))
  })

  it('pages that show stored input escape it: the admin page after the fuzzing', async () => {
    const password = 'Fz-Admin-Pass-7!'
    const admin = await addUser(cloud, 'fz-admin@contoso.test', { roles: ['GlobalAdministrator'], displayName: ECHO_MARKER }, password)
    const browser = new BrowserSession(cloud.app)
    await browser.get('/t/contoso/signin')
    assert.equal((await browser.post('/t/contoso/signin', { username: admin.userPrincipalName, password })).status, 303)
    const page = await browser.get('/t/contoso/admin')
    const html = await page.text()
    assert.equal(page.status, 200)
    assert.ok(html.includes('&lt;fz-echo'), 'the stored marker is shown, escaped')
    assert.ok(!html.includes(ECHO_MARKER), 'and never raw')
  })

  it('the process never crashed or hung, and still answers', async () => {
    assert.deepEqual(crashes, [])
    assert.equal((await cloud.app.request(`${ORIGIN}/healthz`)).status, 200)
  })
})
