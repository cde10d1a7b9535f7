import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { createTestCloud, ORIGIN, type TestCloud } from './test-cloud-app.ts'

describe('bad input gets a clear 4xx with a catalogue code, and nothing is half-written', () => {
  let cloud: TestCloud
  before(async () => {
    cloud = await createTestCloud()
  })
  after(() => cloud.dispose())

  const userCount = async () => (await cloud.store.users.list(cloud.tenant.id, { offset: 0, limit: 1 })).total
  const errorOf = async (res: Response) =>
    (await res.json()) as {
      code?: string
      detail?: string
      error?: { code: string; detail: string; fix: string; supportCode: string }
    }

  it('malformed JSON', async () => {
    const before = await userCount()
    const res = await cloud.api('/scim/v2/Users', {
      method: 'POST',
      body: '{"userName": "x@y.z",',
      headers: { 'content-type': 'application/scim+json' },
    })
    assert.equal(res.status, 400)
    const body = await errorOf(res)
    assert.equal(body.code, 'IDB_ERR_MALFORMED_JSON')
    assert.equal(await userCount(), before)
    const api = await cloud.api('/api/v1/tenant/settings', { method: 'PATCH', body: 'not json' })
    assert.equal(api.status, 400)
    const apiBody = await errorOf(api)
    assert.equal(apiBody.error?.code, 'IDB_ERR_MALFORMED_JSON')
    assert.ok(apiBody.error?.fix, 'the admin gets the fix')
    assert.equal(apiBody.error?.supportCode, api.headers.get('x-correlation-id'))
  })

  it('an oversized body', async () => {
    const before = await userCount()
    const res = await cloud.api('/scim/v2/Users', {
      method: 'POST',
      json: { schemas: [], userName: 'big@contoso.test', displayName: 'x'.repeat(200_000) },
    })
    assert.equal(res.status, 413)
    assert.equal((await errorOf(res)).code, 'IDB_ERR_BODY_TOO_LARGE')
    assert.equal(await userCount(), before)
  })

  it('hostile SCIM filters', async () => {
    const hostile = [
      'userName eq',
      '('.repeat(500),
      `userName eq "${'a'.repeat(5000)}"`,
      'password eq "x"',
      'userName eq "a" or '.repeat(80) + 'userName eq "b"',
      'userName eq "\u0000"',
    ]
    for (const filter of hostile) {
      const res = await cloud.api(`/scim/v2/Users?filter=${encodeURIComponent(filter)}`)
      assert.equal(res.status, 400, filter.slice(0, 40))
      const body = await errorOf(res)
      assert.ok(body.code === 'IDB_ERR_SCIM_FILTER' || body.code === 'IDB_ERR_INVALID_INPUT', body.code)
    }
  })

  it('SQL metacharacters are data, in filters and in values', async () => {
    const before = await userCount()
    const filter = `userName eq "x' OR '1'='1" or displayName co "%'; DROP TABLE users; --"`
    const res = await cloud.api(`/scim/v2/Users?filter=${encodeURIComponent(filter)}`)
    assert.equal(res.status, 200)
    assert.equal(((await res.json()) as { totalResults: number }).totalResults, 0)
    const created = await cloud.api('/scim/v2/Users', {
      method: 'POST',
      json: { userName: "o'hara@contoso.test", displayName: "Robert'); DROP TABLE users;--" },
    })
    assert.equal(created.status, 201)
    assert.equal(await userCount(), before + 1)
  })

  it('invalid fields are named', async () => {
    const res = await cloud.api('/scim/v2/Users', { method: 'POST', json: { userName: 'not-an-upn', active: 'yes' } })
    assert.equal(res.status, 400)
    const body = await errorOf(res)
    assert.equal(body.code, 'IDB_ERR_INVALID_INPUT')
    assert.match(body.detail ?? '', /userName: a user principal name/)
    assert.match(body.detail ?? '', /active/)
    const settings = await cloud.api('/api/v1/tenant/settings', {
      method: 'PATCH',
      json: { ssprGatesRequired: 3, bogus: true },
    })
    assert.equal(settings.status, 400)
    assert.match((await errorOf(settings)).error?.detail ?? '', /ssprGatesRequired|bogus/)
    assert.equal((await cloud.store.tenants.get(cloud.tenant.id))?.settings.ssprGatesRequired, 1)
  })

  it('an unknown tenant and a missing or wrong token', async () => {
    assert.equal((await cloud.app.request(`${ORIGIN}/t/nope`)).status, 404)
    const missing = await cloud.app.request(`${ORIGIN}/scim/v2/Users`)
    assert.equal(missing.status, 401)
    assert.equal(((await missing.json()) as { code: string }).code, 'IDB_ERR_UNAUTHENTICATED')
    const wrong = await cloud.api('/api/v1/tenant', { token: 'idb_not-a-real-token' })
    assert.equal(wrong.status, 401)
    assert.equal((await errorOf(wrong)).error?.code, 'IDB_ERR_UNAUTHENTICATED')
    const garbage = await cloud.app.request(`${ORIGIN}/api/v1/tenant`, {
      headers: { authorization: 'Bearer ../../etc/passwd' },
    })
    assert.equal(garbage.status, 401)
  })

  it('a group with a foreign member is not created at all', async () => {
    const before = (await cloud.store.groups.list(cloud.tenant.id, { offset: 0, limit: 100 })).total
    const res = await cloud.api('/scim/v2/Groups', {
      method: 'POST',
      json: { displayName: 'Half', members: [{ value: 'no-such-user' }] },
    })
    assert.equal(res.status, 400)
    assert.equal((await cloud.store.groups.list(cloud.tenant.id, { offset: 0, limit: 100 })).total, before)
  })

  it('a weak password for a new user is refused with the rule to follow, and no user is created', async () => {
    const before = await userCount()
    const res = await cloud.api('/scim/v2/Users', {
      method: 'POST',
      json: { userName: 'weak@contoso.test', password: 'password' },
    })
    assert.equal(res.status, 400)
    const body = await errorOf(res)
    assert.equal(body.code, 'IDB_ERR_PASSWORD_POLICY')
    assert.match(body.detail ?? '', /three of these four/)
    assert.equal(await userCount(), before)
  })

  it('a SCIM replace with a weak password changes nothing, not even the other attributes', async () => {
    const made = await cloud.api('/scim/v2/Users', { method: 'POST', json: { userName: 'half@contoso.test', displayName: 'Before' } })
    const id = ((await made.json()) as { id: string }).id
    const version = (await cloud.store.users.get(cloud.tenant.id, id))!.version
    const put = await cloud.api(`/scim/v2/Users/${id}`, {
      method: 'PUT',
      json: { userName: 'half@contoso.test', displayName: 'After', password: 'weak' },
    })
    assert.equal(put.status, 400)
    assert.equal((await errorOf(put)).code, 'IDB_ERR_PASSWORD_POLICY')
    const patch = await cloud.api(`/scim/v2/Users/${id}`, {
      method: 'PATCH',
      json: {
        schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
        Operations: [{ op: 'replace', path: 'displayName', value: 'Patched' }, { op: 'add', path: 'password', value: 'x' }],
      },
    })
    assert.equal(patch.status, 400)
    const user = (await cloud.store.users.get(cloud.tenant.id, id))!
    assert.deepEqual([user.displayName, user.version], ['Before', version])
    assert.equal(await cloud.store.credentials.get(cloud.tenant.id, id), undefined)
  })

  it('a form body that does not parse gets IDB_ERR_MALFORMED_FORM, not an internal error', async () => {
    for (const type of ['multipart/form-data', 'multipart/form-data; boundary=x']) {
      const res = await cloud.app.request(`${ORIGIN}/t/contoso/signin`, {
        method: 'POST',
        headers: { 'content-type': type, origin: ORIGIN },
        body: '--y\r\nContent-Disposition: form-data; name="username"\r\n\r\nada',
      })
      assert.equal(res.status, 400, type)
      const html = await res.text()
      assert.match(html, /IDB_ERR_MALFORMED_FORM/)
      assert.ok(html.includes(res.headers.get('x-correlation-id')!), 'with its support code')
    }
  })

  it('the audit log API filters and refuses a bad query', async () => {
    const res = await cloud.api('/api/v1/audit?activity=Add%20user&limit=2')
    assert.equal(res.status, 200)
    const body = (await res.json()) as { events: { activity: string }[]; next: string | null }
    assert.ok(body.events.length > 0 && body.events.every((e) => e.activity === 'Add user'))
    const bad = await cloud.api('/api/v1/audit?since=yesterday&limit=9999')
    assert.equal(bad.status, 400)
    assert.match((await errorOf(bad)).error?.detail ?? '', /since/)
  })

  it('serves an OpenAPI document that lists every admin route', async () => {
    const res = await cloud.app.request(`${ORIGIN}/openapi.json`)
    const doc = (await res.json()) as { paths: Record<string, unknown> }
    for (const path of [
      '/scim/v2/Users',
      '/scim/v2/Users/{id}',
      '/scim/v2/Groups/{id}',
      '/api/v1/audit',
      '/api/v1/tenant/settings',
    ]) {
      assert.ok(doc.paths[path], path)
    }
  })
})
