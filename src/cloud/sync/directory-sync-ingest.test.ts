import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { after, before, describe, it } from 'node:test'
import type { SyncBatch } from '../../protocol/sync-batch.ts'
import type { Store } from '../../store/store.ts'
import type { Tenant } from '../../store/store-records.ts'
import { storeBackends } from '../../store/store-test-backends.ts'
import { ManualClock } from '../../time/clock.ts'
import { createTenantWithAdmin } from '../bootstrap-tenant.ts'
import { UserDirectory } from '../users/user-directory.ts'
import { DirectorySyncIngest } from './directory-sync-ingest.ts'
import { type SyncedUser, syncedUserFixture } from './synced-user-fixture.ts'

// Everyone in this suite has mail and is in the SSPR group, so the ingest has groups to resolve.
const dirUser = (n: number, extra: Partial<SyncedUser> = {}): SyncedUser =>
  syncedUserFixture(n, { mail: `user${n}@contoso.test`, groupDns: ['CN=SSPR Users,OU=Groups,DC=contoso,DC=test'], ...extra })

const batch = (kind: 'full' | 'delta', changes: SyncBatch['changes'], runId = randomUUID()): SyncBatch => ({
  runId,
  kind,
  changes,
  failures: [],
  final: true,
})

for (const backend of storeBackends) {
  describe(`${backend.name}: directory sync ingest`, () => {
    let store: Store
    let dispose: () => Promise<void>
    let tenant: Tenant
    let ingest: DirectorySyncIngest
    const clock = new ManualClock()
    before(async () => {
      ;({ store, dispose } = await backend.open(clock))
      tenant = (
        await createTenantWithAdmin(store, clock, { name: 'contoso', displayName: 'Contoso', domain: 'contoso.test' })
      ).tenant
      ingest = new DirectorySyncIngest({ store, clock, users: new UserDirectory(store, clock) }, { deleteThreshold: 3 })
    })
    after(() => dispose())

    const synced = async () =>
      (await store.users.list(tenant.id, { offset: 0, limit: 1000 })).users
        .filter((u) => u.onPremises?.syncEnabled)
        .map((u) => u.userPrincipalName)
        .sort()

    it('creates users joined on sourceAnchor, with groups, and audits them', async () => {
      const result = await ingest.apply(
        tenant,
        'agent-1',
        batch(
          'full',
          [1, 2, 3, 4, 5].map((n) => ({ kind: 'upsert' as const, user: dirUser(n) })),
        ),
        'c1',
      )
      assert.ok(result.ok)
      assert.equal(result.value.created, 5)
      assert.equal(result.value.status, 'completed')
      assert.deepEqual(result.value.details.created.length, 5)
      const u1 = await store.users.getByImmutableId(tenant.id, dirUser(1).sourceAnchor)
      assert.equal(u1?.onPremises?.distinguishedName, 'CN=User 1,OU=Sync,DC=contoso,DC=test')
      assert.equal(u1?.onPremises?.state?.protected, false)
      const groups = await store.groups.listGroupsOfUser(tenant.id, u1?.id ?? '')
      assert.deepEqual(
        groups.map((g) => [g.displayName, g.onPremisesSyncEnabled]),
        [['SSPR Users', true]],
      )
      const audit = await store.audit.list(tenant.id, {
        activity: 'Add user',
        actor: 'Directory Synchronization',
        limit: 10,
      })
      assert.equal(audit.length, 5)
    })

    it('updates only what changed, and a rename keeps the anchor', async () => {
      const changes = [
        {
          kind: 'upsert' as const,
          user: dirUser(1, {
            displayName: 'Renamed',
            distinguishedName: 'CN=Renamed,OU=Sync,DC=contoso,DC=test',
            groupDns: [],
          }),
        },
        { kind: 'upsert' as const, user: dirUser(2) },
        { kind: 'upsert' as const, user: dirUser(3, { accountEnabled: false }) },
      ]
      const result = await ingest.apply(tenant, 'agent-1', batch('delta', changes), 'c2')
      assert.ok(result.ok)
      assert.equal(result.value.updated, 2)
      assert.equal(result.value.created, 0)
      const u1 = await store.users.getByImmutableId(tenant.id, dirUser(1).sourceAnchor)
      assert.equal(u1?.displayName, 'Renamed')
      assert.deepEqual(await store.groups.listGroupsOfUser(tenant.id, u1?.id ?? ''), [])
      const disabled = await store.audit.list(tenant.id, { activity: 'Disable account', limit: 10 })
      assert.equal(disabled[0]?.target, 'user3@contoso.test')
    })

    it('deletes a user AD deleted, and a user that left scope', async () => {
      const changes = [
        {
          kind: 'delete' as const,
          sourceAnchor: dirUser(4).sourceAnchor,
          distinguishedName: 'x',
          reason: 'deleted' as const,
        },
        {
          kind: 'delete' as const,
          sourceAnchor: dirUser(5).sourceAnchor,
          distinguishedName: 'y',
          reason: 'out-of-scope' as const,
        },
      ]
      const result = await ingest.apply(tenant, 'agent-1', batch('delta', changes), 'c3')
      assert.ok(result.ok)
      assert.equal(result.value.deleted, 2)
      assert.deepEqual(await synced(), ['user1@contoso.test', 'user2@contoso.test', 'user3@contoso.test'])
    })

    it('a full run deletes what it did not see, unless that exceeds the threshold', async () => {
      for (const n of [6, 7, 8])
        assert.ok((await ingest.apply(tenant, 'a', batch('delta', [{ kind: 'upsert', user: dirUser(n) }]), 'c')).ok)
      // Only user 1 remains in AD: 5 deletes, over the threshold of 3.
      const runId = randomUUID()
      const first: SyncBatch = {
        runId,
        kind: 'full',
        changes: [{ kind: 'upsert', user: dirUser(1) }],
        failures: [],
        final: false,
      }
      assert.ok((await ingest.apply(tenant, 'a', first, 'c')).ok)
      const last = await ingest.apply(tenant, 'a', { ...first, changes: [], final: true }, 'c')
      assert.ok(last.ok)
      assert.equal(last.value.status, 'awaiting-delete-confirmation')
      assert.equal(last.value.pendingDeletes.length, 5)
      assert.equal((await synced()).length, 6, 'nothing was deleted yet')
      const confirmed = await ingest.confirmDeletes(tenant, runId, { name: 'admin', correlationId: 'c' })
      assert.ok(confirmed.ok)
      assert.equal(confirmed.value.deleted, 5)
      assert.deepEqual(await synced(), ['user1@contoso.test'])
      const again = await ingest.confirmDeletes(tenant, runId, { name: 'admin', correlationId: 'c' })
      assert.equal(again.ok, false)
    })

    it('soft-matches a cloud user by UPN, but never a cloud admin', async () => {
      const admin = await store.users.getByUserPrincipalName(tenant.id, 'admin@contoso.test')
      const takeover = dirUser(99, { userPrincipalName: 'admin@contoso.test', samAccountName: 'admin' })
      const result = await ingest.apply(tenant, 'a', batch('delta', [{ kind: 'upsert', user: takeover }]), 'c')
      assert.ok(result.ok)
      assert.equal(result.value.failed, 1)
      assert.match(result.value.details.failed[0] ?? '', /admin@contoso.test: userPrincipalName is taken/)
      assert.equal((await store.users.get(tenant.id, admin?.id ?? ''))?.onPremises, null)
    })
  })
}
