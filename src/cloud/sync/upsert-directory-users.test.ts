/** @module Batched upserts keep the outcomes of one-by-one upserts: UPN moves, duplicates, groups, audits. */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { Store } from '../../store/store.ts'
import type { Tenant } from '../../store/store-records.ts'
import { storeBackends } from '../../store/store-test-backends.ts'
import { ManualClock } from '../../time/clock.ts'
import { createTenantWithAdmin } from '../bootstrap-tenant.ts'
import { type Actor, UserDirectory } from '../users/user-directory.ts'
import { type SyncedUser, syncedUserFixture } from './synced-user-fixture.ts'
import { upsertDirectoryUsers } from './upsert-directory-users.ts'
import { newUserFixture } from '../../store/new-user-fixture.ts'


for (const backend of storeBackends) {
  describe(`${backend.name}: batched directory upserts`, () => {
    let store: Store
    let dispose: () => Promise<void>
    let tenant: Tenant
    let users: UserDirectory
    const clock = new ManualClock()
    const actor: Actor = { name: 'Directory Synchronization', correlationId: 'c', isSync: true }
    const upsert = (batch: SyncedUser[]) => upsertDirectoryUsers({ store, users }, tenant, batch, actor)
    const groupsOf = async (n: number) => {
      const user = await store.users.getByImmutableId(tenant.id, syncedUserFixture(n).sourceAnchor)
      return (await store.groups.listGroupsOfUser(tenant.id, user?.id ?? '')).map((g) => g.displayName)
    }

    before(async () => {
      ;({ store, dispose } = await backend.open(clock))
      tenant = (await createTenantWithAdmin(store, clock, { name: 'contoso', displayName: 'Contoso', domain: 'contoso.test' }))
        .tenant
      users = new UserDirectory(store, clock)
    })
    after(() => dispose())

    it('fails the second of two new users with one UPN, as one by one would', async () => {
      const outcomes = await upsert([syncedUserFixture(1), syncedUserFixture(2, { userPrincipalName: 'USER1@contoso.test' }), syncedUserFixture(3)])
      assert.deepEqual(
        outcomes.map((o) => o.kind),
        ['created', 'failed', 'created'],
      )
      assert.match(outcomes[1]?.label ?? '', /userPrincipalName is taken/)
      const audits = await store.audit.list(tenant.id, { activity: 'Add user', actor: actor.name, limit: 10 })
      assert.deepEqual(audits.map((a) => a.target).sort(), ['user1@contoso.test', 'user3@contoso.test'])
    })

    it('lets a new user take a UPN that an earlier update in the batch gave up', async () => {
      const renamed = syncedUserFixture(1, { userPrincipalName: 'renamed@contoso.test' })
      const outcomes = await upsert([renamed, syncedUserFixture(4, { userPrincipalName: 'user1@contoso.test' }), syncedUserFixture(3)])
      assert.deepEqual(
        outcomes.map((o) => o.kind),
        ['updated', 'created', 'unchanged'],
      )
      const taken = await upsert([syncedUserFixture(5, { userPrincipalName: 'renamed@contoso.test' })])
      assert.equal(taken[0]?.kind, 'failed')
    })

    it('fails a rename onto a cloud user’s UPN alone, without breaking the batch’s transaction', async () => {
      const cloud = await store.users.create(tenant.id, newUserFixture({ userPrincipalName: 'cloud@contoso.test', displayName: 'Cloud' }))
      assert.ok(cloud.ok)
      const applied = await store.transaction(async (tx) => {
        const outcomes = await upsertDirectoryUsers({ store: tx, users: new UserDirectory(tx, clock) }, tenant, [
          syncedUserFixture(3, { userPrincipalName: 'CLOUD@contoso.test' }),
          syncedUserFixture(6),
        ], actor)
        return { ok: true, value: outcomes }
      })
      assert.ok(applied.ok)
      assert.deepEqual(
        applied.value.map((o) => o.kind),
        ['failed', 'created'],
      )
      assert.match(applied.value[0]?.label ?? '', /IDB_ERR_CONFLICT/)
      assert.ok(await store.users.getByImmutableId(tenant.id, syncedUserFixture(6).sourceAnchor))
    })

    it('creates groups once, names a second CN by its DN, and writes only membership changes', async () => {
      const sales = 'CN=Sales,OU=Groups,DC=contoso,DC=test'
      const otherSales = 'CN=Sales,OU=Other,DC=contoso,DC=test'
      await upsert([syncedUserFixture(1, { userPrincipalName: 'renamed@contoso.test', groupDns: [sales] }), syncedUserFixture(3, { groupDns: [sales, otherSales] })])
      assert.deepEqual(await groupsOf(3), ['CN=Sales,OU=Other,DC=contoso,DC=test', 'Sales'])
      const updates = async () => (await store.audit.list(tenant.id, { activity: 'Update user', limit: 50 })).length
      const before = await updates()
      const outcomes = await upsert([syncedUserFixture(3, { groupDns: [otherSales] })])
      assert.equal(outcomes[0]?.kind, 'unchanged', 'a membership change is not a user update')
      assert.equal(await updates(), before)
      assert.deepEqual(await groupsOf(3), ['CN=Sales,OU=Other,DC=contoso,DC=test'])
      assert.deepEqual(await groupsOf(1), ['Sales'])
    })
  })
}
