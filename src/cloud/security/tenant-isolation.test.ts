import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { createTestCloud, type TestCloud } from '../web/test-cloud-app.ts'
import { openApiDocument } from '../web/openapi-document.ts'

/**
 * Cross-tenant isolation, generated from the OpenAPI document: tenant B's admin token calls every
 * admin route with tenant A's object ids, and must never see or change A's data.
 */

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User'
const PATCH = 'urn:ietf:params:scim:api:messages:2.0:PatchOp'
const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const

describe('tenant isolation of the admin API and SCIM', () => {
  let cloud: TestCloud
  let other: { token: string; tenantId: string }
  const a = { userId: '', groupId: '', runId: '', upn: 'secret-cleo@contoso.test', group: 'Contoso secret group' }

  before(async () => {
    cloud = await createTestCloud()
    const user = await cloud.api('/scim/v2/Users', {
      method: 'POST',
      json: { schemas: [USER], userName: a.upn, displayName: 'Secret Cleo', active: true, password: 'Harbor-Lantern-73!' },
    })
    assert.equal(user.status, 201)
    a.userId = String(((await user.json()) as { id: string }).id)
    const group = await cloud.api('/scim/v2/Groups', {
      method: 'POST',
      json: { displayName: a.group, members: [{ value: a.userId }] },
    })
    assert.equal(group.status, 201)
    a.groupId = String(((await group.json()) as { id: string }).id)
    a.runId = 'run-of-tenant-a-0001'
    await cloud.store.syncRuns.save({
      id: a.runId,
      tenantId: cloud.tenant.id,
      agentId: 'agent-a',
      kind: 'full',
      status: 'awaiting-delete-confirmation',
      startedAt: cloud.clock.now(),
      finishedAt: cloud.clock.now(),
      created: 0,
      updated: 0,
      deleted: 0,
      failed: 0,
      pendingDeletes: [{ immutableId: 'YW5jaG9y', userPrincipalName: a.upn, distinguishedName: null }],
      details: { created: [], updated: [], deleted: [], failed: [] },
    })
    const b = await cloud.otherTenant('fabrikam')
    other = { token: b.token, tenantId: b.tenant.id }
  })
  after(() => cloud.dispose())

  /** Markers of tenant A's data that must never reach tenant B. */
  const markers = () => [a.userId, a.groupId, a.runId, a.upn, a.group, 'Secret Cleo', cloud.tenant.id]

  const idFor = (path: string) =>
    path.startsWith('/scim/v2/Groups') ? a.groupId : path.startsWith('/api/v1/sync/runs') ? a.runId : a.userId

  const bodyFor = (path: string, method: string): unknown => {
    if (method === 'get' || method === 'delete') return undefined
    if (path.endsWith('/password')) return { password: 'Taken-Over-By-B-99!', forceChangePasswordNextSignIn: false }
    if (method === 'patch' && path.startsWith('/scim/')) {
      return { schemas: [PATCH], Operations: [{ op: 'replace', path: 'displayName', value: 'owned by B' }] }
    }
    if (path.startsWith('/scim/v2/Groups')) return { displayName: 'owned by B', members: [{ value: a.userId }] }
    if (path.startsWith('/scim/v2/Users')) {
      return { schemas: [USER], userName: 'probe@fabrikam.test', displayName: 'owned by B', active: false }
    }
    if (path === '/api/v1/tenant/settings') return { ssprEnabled: true }
    return {}
  }

  const cases = Object.entries(openApiDocument.paths).flatMap(([path, item]) =>
    METHODS.filter((m) => m in item).map((method) => ({ path, method })),
  )

  it('covers every documented route', () => {
    assert.ok(cases.length >= 20, `only ${cases.length} cases`)
    assert.ok(cases.some((c) => c.path.includes('{id}')))
  })

  for (const { path, method } of cases) {
    it(`${method.toUpperCase()} ${path} with tenant B's token never yields tenant A's data`, async () => {
      const url = path.replace('{id}', encodeURIComponent(idFor(path)))
      const json = bodyFor(path, method)
      const res = await cloud.api(url, { method: method.toUpperCase(), token: other.token, json })
      const text = await res.text()
      if (path.includes('{id}')) {
        assert.ok([400, 403, 404].includes(res.status), `${method} ${url} answered ${res.status}: ${text.slice(0, 300)}`)
      } else {
        assert.ok(res.status < 500, `${method} ${url} answered ${res.status}: ${text.slice(0, 300)}`)
      }
      // Echoing what B itself sent (an id in an error detail) is no leak; anything else of A's is.
      const sent = `${url} ${JSON.stringify(json)}`
      const secret = markers().filter((m) => !sent.includes(m))
      assert.ok(secret.includes(a.upn) && secret.includes('Secret Cleo'))
      for (const marker of secret) assert.ok(!text.includes(marker), `${method} ${url} leaked ${marker}: ${text.slice(0, 300)}`)
    })
  }

  it("B's SCIM filter on A's userName and group name finds nothing", async () => {
    for (const [resource, filter] of [
      ['Users', `userName eq "${a.upn}"`],
      ['Groups', `displayName eq "${a.group}"`],
      ['Users', `id eq "${a.userId}"`],
    ] as const) {
      const res = await cloud.api(`/scim/v2/${resource}?filter=${encodeURIComponent(filter)}`, { token: other.token })
      const text = await res.text()
      assert.ok(res.status === 200 || res.status === 400, text)
      if (res.status === 200) assert.equal((JSON.parse(text) as { totalResults: number }).totalResults, 0, text)
      for (const marker of markers()) assert.ok(!text.includes(marker), `leaked ${marker}`)
    }
  })

  it("leaves A's user, group, password and pending deletes untouched", async () => {
    const user = await cloud.api(`/scim/v2/Users/${a.userId}`)
    assert.equal(user.status, 200)
    const body = (await user.json()) as { displayName: string; active: boolean }
    assert.equal(body.displayName, 'Secret Cleo')
    assert.equal(body.active, true)
    const group = await cloud.api(`/scim/v2/Groups/${a.groupId}`)
    assert.equal(group.status, 200)
    const g = (await group.json()) as { displayName: string; members: { value: string }[] }
    assert.equal(g.displayName, a.group)
    assert.deepEqual(g.members.map((m) => m.value), [a.userId])
    const run = await cloud.store.syncRuns.get(cloud.tenant.id, a.runId)
    assert.equal(run?.status, 'awaiting-delete-confirmation')
    const audit = await cloud.store.audit.list(cloud.tenant.id, { limit: 100 })
    assert.ok(!audit.some((e) => /password|revoke/i.test(e.activity) && e.target === a.upn && e.result === 'success'))
  })

  it("A's admin token cannot read B's audit log", async () => {
    const created = await cloud.api('/scim/v2/Users', {
      method: 'POST',
      token: other.token,
      json: { schemas: [USER], userName: 'only-in-fabrikam@fabrikam.test', displayName: 'Fabrikam Only', active: true },
    })
    assert.equal(created.status, 201)
    const bAudit = await cloud.api('/api/v1/audit?limit=100', { token: other.token })
    assert.match(await bAudit.text(), /only-in-fabrikam@fabrikam\.test/, "B's own audit has the event")
    for (const query of ['?limit=100', '?target=only-in-fabrikam%40fabrikam.test', `?actor=${encodeURIComponent('test')}`]) {
      const res = await cloud.api(`/api/v1/audit${query}`)
      const text = await res.text()
      assert.equal(res.status, 200, text)
      assert.ok(!text.includes('only-in-fabrikam'), `A read B's audit with ${query}`)
      assert.ok(!text.includes(other.tenantId), `A saw B's tenant id with ${query}`)
    }
  })
})
