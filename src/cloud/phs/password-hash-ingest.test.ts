import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { after, before, describe, it } from 'node:test'
import { formatOrgIdVerifier, ntHash, orgIdHashFromNtHash } from '../../crypto/org-id-hash.ts'
import { checkPassword } from '../../crypto/password-verifier.ts'
import type { PasswordHashItem } from '../../protocol/password-hash-sync.ts'
import type { Store } from '../../store/store.ts'
import type { Tenant, User } from '../../store/store-records.ts'
import { newUserFixture } from '../../store/new-user-fixture.ts'
import { storeBackends } from '../../store/store-test-backends.ts'
import { ManualClock } from '../../time/clock.ts'
import { PasswordHashIngest, passwordPoliciesAfterSync } from './password-hash-ingest.ts'

function unwrap<T>(result: { ok: true; value: T } | { ok: false; error: Error }): T {
  if (!result.ok) throw result.error
  return result.value
}

async function item(anchor: string, password: string, extra: Partial<PasswordHashItem> = {}): Promise<PasswordHashItem> {
  const salt = randomBytes(10)
  const hash = await orgIdHashFromNtHash(await ntHash(password), salt)
  return {
    sourceAnchor: anchor,
    distinguishedName: `CN=${anchor},OU=Sync,DC=contoso,DC=test`,
    changedAt: '2026-11-21T10:00:00.000Z',
    verifier: formatOrgIdVerifier({ salt, iterations: 1000, hash }),
    temporary: false,
    ...extra,
  }
}

for (const backend of storeBackends) {
  describe(`${backend.name}: password hash sync ingest`, () => {
    let store: Store
    let dispose: () => Promise<void>
    const clock = new ManualClock()
    let tenant: Tenant
    let synced: User
    let cloudOnly: User
    let ingest: PasswordHashIngest

    const settings = async (patch: Partial<Tenant['settings']>) => {
      tenant = (await store.tenants.updateSettings(tenant.id, { ...tenant.settings, ...patch }))!
    }

    before(async () => {
      ;({ store, dispose } = await backend.open(clock))
      tenant = unwrap(await store.tenants.create({ name: 'phs', displayName: 'PHS', domain: 'phs.test' }))
      synced = unwrap(
        await store.users.create(
          tenant.id,
          newUserFixture({
            userPrincipalName: 'ann@phs.test',
            onPremises: { immutableId: 'AnnAnchor==', distinguishedName: 'CN=Ann', samAccountName: 'ann', syncEnabled: true },
          }),
        ),
      )
      cloudOnly = unwrap(await store.users.create(tenant.id, newUserFixture({ userPrincipalName: 'cloud@phs.test' })))
      ingest = new PasswordHashIngest({ store, clock })
    })
    after(() => dispose())

    it('refuses batches while password hash sync is off, and keeps what was synced before', async () => {
      await store.credentials.set(tenant.id, synced.id, { verifier: (await item('x', 'Earlier-1')).verifier, mustChange: false })
      const refused = await ingest.apply(tenant, 'agent-1', { kind: 'delta', items: [await item('AnnAnchor==', 'New-Pass-1')] })
      assert.ok(!refused.ok && refused.error.code === 'IDB_ERR_PHS_NOT_ACTIVATED')
      assert.ok(await checkPassword((await store.credentials.get(tenant.id, synced.id))!.verifier, 'Earlier-1'))
      assert.equal(await store.passwordHashSync.get(tenant.id, synced.id), undefined)
    })

    it('stores the verifier, sets DisablePasswordExpiration and audits a delta as "Change user password"', async () => {
      await settings({ passwordHashSyncEnabled: true })
      const reply = unwrap(
        await ingest.apply(tenant, 'agent-1', {
          kind: 'delta',
          items: [await item('AnnAnchor==', 'Synced-Pass-1'), await item('NobodyAnchor==', 'x-Pass-2')],
        }),
      )
      assert.deepEqual(
        reply.results.map((r) => r.status),
        ['Success', 'TargetNotExportedToDirectory'],
      )
      const credential = (await store.credentials.get(tenant.id, synced.id))!
      assert.ok(await checkPassword(credential.verifier, 'Synced-Pass-1'))
      assert.equal(await checkPassword(credential.verifier, 'Earlier-1'), false)
      assert.deepEqual((await store.users.get(tenant.id, synced.id))!.passwordPolicies, ['DisablePasswordExpiration'])
      const audit = await store.audit.list(tenant.id, { limit: 10, activity: 'Change user password' })
      assert.equal(audit.length, 1)
      assert.equal(audit[0]!.target, 'ann@phs.test')
      const status = (await store.passwordHashSync.get(tenant.id, synced.id))!
      assert.equal(status.result, 'Success')
      assert.equal(status.agentId, 'agent-1')
      assert.equal(status.changedAt, Date.parse('2026-11-21T10:00:00.000Z'))
      assert.equal(status.userPrincipalName, 'ann@phs.test')
    })

    it('an initial sync is not audited per user, and a version bump happens only when policies change', async () => {
      const before = (await store.users.get(tenant.id, synced.id))!.version
      const auditBefore = (await store.audit.list(tenant.id, { limit: 100 })).length
      unwrap(await ingest.apply(tenant, 'agent-1', { kind: 'initial', items: [await item('AnnAnchor==', 'Synced-Pass-2')] }))
      assert.equal((await store.users.get(tenant.id, synced.id))!.version, before)
      assert.equal((await store.audit.list(tenant.id, { limit: 100 })).length, auditBefore)
    })

    it('removes DisablePasswordExpiration at the next sync once the cloud policy applies to synced users', async () => {
      await settings({ cloudPasswordPolicyForSyncedUsers: true })
      unwrap(await ingest.apply(tenant, 'agent-1', { kind: 'delta', items: [await item('AnnAnchor==', 'Synced-Pass-3')] }))
      assert.deepEqual((await store.users.get(tenant.id, synced.id))!.passwordPolicies, [])
      await settings({ cloudPasswordPolicyForSyncedUsers: false })
    })

    it('filters temporary passwords unless forcePasswordChangeOnLogOn is on, and then the user must change', async () => {
      const filtered = unwrap(
        await ingest.apply(tenant, 'agent-1', { kind: 'delta', items: [await item('AnnAnchor==', 'Temp-Pass-1', { temporary: true, changedAt: null })] }),
      )
      assert.equal(filtered.results[0]!.status, 'FilteredByTarget')
      assert.ok(await checkPassword((await store.credentials.get(tenant.id, synced.id))!.verifier, 'Synced-Pass-3'))
      await settings({ forcePasswordChangeOnLogOn: true })
      unwrap(
        await ingest.apply(tenant, 'agent-1', { kind: 'delta', items: [await item('AnnAnchor==', 'Temp-Pass-1', { temporary: true, changedAt: null })] }),
      )
      const credential = (await store.credentials.get(tenant.id, synced.id))!
      assert.ok(credential.mustChange)
      assert.ok(await checkPassword(credential.verifier, 'Temp-Pass-1'))
      await settings({ forcePasswordChangeOnLogOn: false })
    })

    it('never touches a cloud-only user, and keeps health per tenant', async () => {
      const reply = unwrap(await ingest.apply(tenant, 'agent-1', { kind: 'delta', items: [await item('cloud@phs.test', 'x-Pass-3')] }))
      assert.equal(reply.results[0]!.status, 'TargetNotExportedToDirectory')
      assert.equal(await store.credentials.get(tenant.id, cloudOnly.id), undefined)
      const listed = await store.passwordHashSync.list(tenant.id, { limit: 10, offset: 0 })
      assert.equal(listed.total, 1)
      assert.equal(listed.items[0]!.userId, synced.id)
      assert.equal((await store.passwordHashSync.list('other-tenant', { limit: 10, offset: 0 })).total, 0)
      assert.equal(await store.passwordHashSync.get('other-tenant', synced.id), undefined)
    })
  })
}

describe('password policies after a sync', () => {
  it('adds DisablePasswordExpiration unless the cloud policy applies, and removes it when it does', () => {
    assert.deepEqual(passwordPoliciesAfterSync([], false), ['DisablePasswordExpiration'])
    assert.equal(passwordPoliciesAfterSync(['DisablePasswordExpiration'], false), undefined)
    assert.deepEqual(passwordPoliciesAfterSync(['DisableStrongPassword', 'DisablePasswordExpiration'], true), ['DisableStrongPassword'])
    assert.equal(passwordPoliciesAfterSync([], true), undefined)
  })
})
