import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { storeBackends } from '../../store/store-test-backends.ts'
import { createTestCloud, type TestCloud } from '../web/test-cloud-app.ts'
import { newUserFixture } from '../../store/new-user-fixture.ts'

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User'
const PATCH = 'urn:ietf:params:scim:api:messages:2.0:PatchOp'

const newUser = (userName: string, extra: Record<string, unknown> = {}) => ({
  schemas: [USER],
  userName,
  name: { givenName: 'Grace', familyName: 'Hopper' },
  displayName: `Grace ${userName}`,
  emails: [{ value: userName, type: 'work', primary: true }],
  active: true,
  ...extra,
})

for (const backend of storeBackends) {
  describe(`${backend.name}: SCIM 2.0 API`, () => {
    let cloud: TestCloud
    before(async () => {
      cloud = await createTestCloud(backend)
    })
    after(() => cloud.dispose())

    const json = async (res: Response) =>
      (await res.json()) as Record<string, unknown> & { Resources: Record<string, unknown>[] }

    it('creates, reads with an ETag, and answers If-None-Match with 304', async () => {
      const created = await cloud.api('/scim/v2/Users', {
        method: 'POST',
        json: newUser('grace@contoso.test', { password: 'Cobol-1959!x' }),
      })
      assert.equal(created.status, 201)
      const body = await json(created)
      assert.equal(body.userName, 'grace@contoso.test')
      assert.equal(body.password, undefined, 'a password is never returned')
      const etag = created.headers.get('etag')
      assert.equal(etag, 'W/"1"')
      assert.match(created.headers.get('location') ?? '', /\/scim\/v2\/Users\//)
      const read = await cloud.api(`/scim/v2/Users/${body.id}`)
      assert.equal(read.status, 200)
      assert.equal(read.headers.get('content-type'), 'application/scim+json')
      assert.equal(
        (await cloud.api(`/scim/v2/Users/${body.id}`, { headers: { 'if-none-match': etag ?? '' } })).status,
        304,
      )
      const dup = await cloud.api('/scim/v2/Users', { method: 'POST', json: newUser('GRACE@contoso.test') })
      assert.equal(dup.status, 409)
      assert.equal((await json(dup)).scimType, 'uniqueness')
    })

    it('filters and pages', async () => {
      for (let i = 0; i < 5; i++) {
        assert.equal(
          (await cloud.api('/scim/v2/Users', { method: 'POST', json: newUser(`page${i}@contoso.test`) })).status,
          201,
        )
      }
      const filtered = await json(
        await cloud.api(
          `/scim/v2/Users?filter=${encodeURIComponent('userName sw "page" and active eq true')}&count=2&startIndex=3`,
        ),
      )
      assert.equal(filtered.totalResults, 5)
      assert.equal(filtered.itemsPerPage, 2)
      assert.equal(filtered.startIndex, 3)
      const all = await json(await cloud.api(`/scim/v2/Users?filter=${encodeURIComponent('userName sw "page"')}`))
      assert.deepEqual(filtered.Resources, all.Resources.slice(2, 4), 'pages are slices of one stable order')
      const byEmail = await json(
        await cloud.api(`/scim/v2/Users?filter=${encodeURIComponent('emails.value eq "PAGE4@contoso.test"')}`),
      )
      assert.equal(byEmail.totalResults, 1)
    })

    it('patches Azure AD style and refuses a stale If-Match', async () => {
      const { Resources } = await json(
        await cloud.api(`/scim/v2/Users?filter=${encodeURIComponent('userName eq "page0@contoso.test"')}`),
      )
      const id = Resources[0]?.id
      const res = await cloud.api(`/scim/v2/Users/${id}`, {
        method: 'PATCH',
        headers: { 'if-match': 'W/"1"' },
        json: {
          schemas: [PATCH],
          Operations: [
            { op: 'Replace', path: 'active', value: 'False' },
            { op: 'Add', path: 'phoneNumbers[type eq "mobile"].value', value: '+1 4255550199' },
            { op: 'replace', value: { displayName: 'Patched', 'name.familyName': 'Murray' } },
          ],
        },
      })
      assert.equal(res.status, 200, await res.clone().text())
      const body = await json(res)
      assert.equal(body.active, false)
      assert.equal(body.displayName, 'Patched')
      assert.deepEqual(body.name, { givenName: 'Grace', familyName: 'Murray' })
      assert.deepEqual(body.phoneNumbers, [{ value: '+1 4255550199', type: 'mobile' }])
      // One change for the PATCH and one for the session revocation that disabling brings.
      assert.equal(res.headers.get('etag'), 'W/"3"')
      const stale = await cloud.api(`/scim/v2/Users/${id}`, {
        method: 'PUT',
        headers: { 'if-match': 'W/"1"' },
        json: newUser('page0@contoso.test'),
      })
      assert.equal(stale.status, 412)
      const audit = await cloud.store.audit.list(cloud.tenant.id, { activity: 'Disable account', limit: 5 })
      assert.equal(audit[0]?.target, 'page0@contoso.test')
    })

    it('manages groups and their members with PATCH', async () => {
      const users = await json(await cloud.api(`/scim/v2/Users?filter=${encodeURIComponent('userName sw "page"')}`))
      const [a, b] = users.Resources.map((r) => String(r.id))
      const created = await cloud.api('/scim/v2/Groups', {
        method: 'POST',
        json: { displayName: 'SSPR users', members: [{ value: a }, { value: b }] },
      })
      assert.equal(created.status, 201)
      const group = await json(created)
      assert.equal((group.members as unknown[]).length, 2)
      const patched = await cloud.api(`/scim/v2/Groups/${group.id}`, {
        method: 'PATCH',
        json: { schemas: [PATCH], Operations: [{ op: 'remove', path: `members[value eq "${a}"]` }] },
      })
      assert.equal(patched.status, 200)
      assert.deepEqual(
        ((await json(patched)).members as { value: string }[]).map((m) => m.value),
        [b],
      )
      const user = await json(await cloud.api(`/scim/v2/Users/${b}`))
      assert.deepEqual(
        (user.groups as { display: string }[]).map((g) => g.display),
        ['SSPR users'],
      )
      assert.equal((await cloud.api(`/scim/v2/Groups/${group.id}`, { method: 'DELETE' })).status, 204)
      assert.equal((await cloud.api(`/scim/v2/Groups/${group.id}`)).status, 404)
    })

    it('keeps tenants apart: another tenant’s token gets 404 and sees nothing', async () => {
      const other = await cloud.otherTenant(`other${backend.name}`)
      const { Resources } = await json(await cloud.api('/scim/v2/Users?count=1'))
      const id = Resources[0]?.id
      for (const method of ['GET', 'PUT', 'PATCH', 'DELETE']) {
        const body =
          method === 'PATCH'
            ? { schemas: [PATCH], Operations: [{ op: 'replace', path: 'displayName', value: 'x' }] }
            : newUser('x@other.test')
        const res = await cloud.api(`/scim/v2/Users/${id}`, {
          method,
          token: other.token,
          json: method === 'GET' || method === 'DELETE' ? undefined : body,
        })
        assert.equal(res.status, 404, method)
      }
      const list = await json(await cloud.api('/scim/v2/Users', { token: other.token }))
      assert.deepEqual(
        list.Resources.map((r) => r.userName),
        ['admin@othersqlite.test', 'admin@otherpostgres.test'].filter((u) => u.includes(backend.name)),
      )
      assert.ok(await cloud.store.users.get(cloud.tenant.id, String(id)), 'the user is untouched')
      const foreignMember = await cloud.api('/scim/v2/Groups', {
        method: 'POST',
        token: other.token,
        json: { displayName: 'x', members: [{ value: id }] },
      })
      assert.equal(foreignMember.status, 400)
    })

    it('refuses edits of attributes that Active Directory owns on a synced user', async () => {
      const synced = await cloud.store.users.create(cloud.tenant.id, newUserFixture({
        userPrincipalName: 'synced@contoso.test',
        givenName: 'Syn',
        surname: 'Ced',
        displayName: 'Synced',
        onPremises: {
          immutableId: 'AAAAAAAAAAAAAAAAAAAAAA==',
          distinguishedName: 'CN=Synced,DC=contoso,DC=test',
          samAccountName: 'synced',
          syncEnabled: true,
        },
      }))
      assert.ok(synced.ok)
      const res = await cloud.api(`/scim/v2/Users/${synced.value.id}`, {
        method: 'PATCH',
        json: { schemas: [PATCH], Operations: [{ op: 'replace', path: 'displayName', value: 'Renamed' }] },
      })
      assert.equal(res.status, 409)
      const body = await json(res)
      assert.equal(body.code, 'IDB_ERR_SYNCED_ATTRIBUTE')
      assert.match(String(body.detail), /displayName of synced@contoso.test is managed in Active Directory/)
      const licensed = await cloud.api(`/scim/v2/Users/${synced.value.id}`, {
        method: 'PATCH',
        json: {
          schemas: [PATCH],
          Operations: [
            { op: 'add', path: 'urn:idbridge:params:scim:schemas:extension:2.0:User:licenses', value: ['ENTERPRISE'] },
          ],
        },
      })
      assert.equal(licensed.status, 200, 'licenses stay manageable in the tenant')
      assert.equal((await cloud.api(`/scim/v2/Users/${synced.value.id}`, { method: 'DELETE' })).status, 409)
    })

    it('serves the discovery documents', async () => {
      const config = await json(await cloud.api('/scim/v2/ServiceProviderConfig'))
      assert.deepEqual(config.patch, { supported: true })
      assert.deepEqual(config.etag, { supported: true })
      assert.equal((await json(await cloud.api('/scim/v2/ResourceTypes'))).totalResults, 2)
    })
  })
}
