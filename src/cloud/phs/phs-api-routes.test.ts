import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { formatOrgIdVerifier, ntHash, orgIdHashFromNtHash } from '../../crypto/org-id-hash.ts'
import { newUserFixture } from '../../store/new-user-fixture.ts'
import { createTestCloud, type TestCloud } from '../web/test-cloud-app.ts'
import { PasswordHashIngest } from './password-hash-ingest.ts'

describe('password hash sync admin API', () => {
  let cloud: TestCloud
  before(async () => {
    cloud = await createTestCloud()
    const created = await cloud.store.users.create(
      cloud.tenant.id,
      newUserFixture({
        userPrincipalName: 'sam@contoso.test',
        onPremises: { immutableId: 'SamAnchor==', distinguishedName: 'CN=Sam', samAccountName: 'sam', syncEnabled: true },
      }),
    )
    assert.ok(created.ok)
    const tenant = (await cloud.store.tenants.updateSettings(cloud.tenant.id, { ...cloud.tenant.settings, passwordHashSyncEnabled: true }))!
    const salt = Buffer.alloc(10, 7)
    const hash = await orgIdHashFromNtHash(await ntHash('Synced-Pass-9'), salt)
    const changedAt = new Date(cloud.clock.now() - 90_000).toISOString()
    const ingest = new PasswordHashIngest({ store: cloud.store, clock: cloud.clock })
    const applied = await ingest.apply(tenant, 'agent-7', {
      kind: 'delta',
      items: [{ sourceAnchor: 'SamAnchor==', distinguishedName: 'CN=Sam', changedAt, temporary: false, verifier: formatOrgIdVerifier({ salt, iterations: 1000, hash }) }],
    })
    assert.ok(applied.ok)
  })
  after(() => cloud.dispose())

  it('lists per-user health with the lag from the AD change', async () => {
    const res = await cloud.api('/api/v1/password-hash-sync/users?limit=10')
    assert.equal(res.status, 200)
    const body = (await res.json()) as { total: number; users: Array<Record<string, unknown>> }
    assert.equal(body.total, 1)
    assert.equal(body.users[0]!.userPrincipalName, 'sam@contoso.test')
    assert.equal(body.users[0]!.result, 'Success')
    assert.equal(body.users[0]!.agentId, 'agent-7')
    assert.equal(body.users[0]!.lagSeconds, 90)
    assert.ok(!JSON.stringify(body).includes('PPH1'), 'no verifier in the health view')
  })

  it('refuses a bad page query with a catalogue code, and another tenant sees nothing', async () => {
    const bad = await cloud.api('/api/v1/password-hash-sync/users?limit=0')
    assert.equal(bad.status, 400)
    assert.equal(((await bad.json()) as { error: { code: string } }).error.code, 'IDB_ERR_INVALID_INPUT')
    const other = await cloud.otherTenant('fabrikam')
    const res = await cloud.api('/api/v1/password-hash-sync/users', { token: other.token })
    assert.equal(((await res.json()) as { total: number }).total, 0)
  })

  it('accepts a resync request, says how many agents it reached and audits it', async () => {
    const res = await cloud.api('/api/v1/password-hash-sync/resync', { method: 'POST' })
    assert.equal(res.status, 202)
    assert.deepEqual(await res.json(), { agentsAsked: 0 })
    const [audit] = await cloud.store.audit.list(cloud.tenant.id, { activity: 'Request full password hash sync', limit: 5 })
    assert.equal(audit?.actor, 'admin-api')
    assert.equal(audit?.result, 'failure', 'no agent heard it')
    assert.match(audit?.failureReason ?? '', /no agent/)
  })
})
