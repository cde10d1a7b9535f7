/** @module The storage contract of the many-at-once methods directory sync uses, on SQLite and PostgreSQL. */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { ManualClock } from '../time/clock.ts'
import type { Store } from './store.ts'
import type { NewUser, Tenant } from './store-records.ts'
import { newUserFixture } from './new-user-fixture.ts'
import { storeBackends } from './store-test-backends.ts'

const synced = (n: number, extra: Partial<NewUser> = {}): NewUser =>
  newUserFixture({
  userPrincipalName: `user${n}@alpha.test`,
  givenName: 'User',
  surname: String(n),
  displayName: `User ${n}`,
  onPremises: {
    immutableId: `anchor-${n}`,
    distinguishedName: `CN=User ${n},OU=Sync,DC=alpha,DC=test`,
    samAccountName: `user${n}`,
    syncEnabled: true,
    state: { protected: false, pwdLastSet: 1, lockedOut: false, passwordNeverExpires: false },
  },
  ...extra,
  })

const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i)

for (const backend of storeBackends) {
  describe(`${backend.name}: bulk storage contract`, () => {
    let store: Store
    let dispose: () => Promise<void>
    const clock = new ManualClock()
    let a: Tenant
    let b: Tenant

    before(async () => {
      ;({ store, dispose } = await backend.open(clock))
      const made = await store.tenants.create({ name: 'alpha', displayName: 'Alpha', domain: 'alpha.test' })
      const other = await store.tenants.create({ name: 'beta', displayName: 'Beta', domain: 'beta.test' })
      assert.ok(made.ok && other.ok)
      a = made.value
      b = other.value
    })
    after(() => dispose())

    it('creates many users, skipping only those whose UPN or anchor is taken', async () => {
      // Two calls of the same size: the second one reuses the first one's compiled statement.
      const first = await store.users.createMany(a.id, range(0, 250).map((n) => synced(n)))
      assert.equal(first.created.length, 250)
      assert.deepEqual(first.conflicts, [])
      const again = [synced(250), synced(1, { userPrincipalName: 'fresh@alpha.test' }), synced(251), synced(252)]
      const upnTaken = synced(253, { userPrincipalName: 'USER0@alpha.test' })
      const second = await store.users.createMany(a.id, [...again, upnTaken, ...range(254, 499).map((n) => synced(n))])
      assert.deepEqual(
        second.conflicts.map((u) => u.userPrincipalName),
        ['fresh@alpha.test', 'USER0@alpha.test'],
      )
      assert.equal(second.created.length, 248)
      const stored = await store.users.getByImmutableId(a.id, 'anchor-300')
      assert.deepEqual(stored, second.created.find((u) => u.onPremises?.immutableId === 'anchor-300'))
      assert.equal((await store.users.list(a.id, { offset: 0, limit: 1 })).total, 498)
    })

    it('looks users up by many anchors or UPNs, within the tenant only', async () => {
      const byAnchor = await store.users.listByImmutableIds(a.id, ['anchor-3', 'anchor-4', 'anchor-3', 'nope'])
      assert.deepEqual(byAnchor.map((u) => u.userPrincipalName).sort(), ['user3@alpha.test', 'user4@alpha.test'])
      const byUpn = await store.users.listByUserPrincipalNames(a.id, ['USER5@ALPHA.TEST', 'nobody@alpha.test'])
      assert.deepEqual(
        byUpn.map((u) => u.onPremises?.immutableId),
        ['anchor-5'],
      )
      const many = await store.users.listByImmutableIds(a.id, range(0, 700).map((n) => `anchor-${n}`))
      assert.equal(many.length, 498)
      assert.deepEqual(await store.users.listByImmutableIds(b.id, ['anchor-3']), [])
      assert.deepEqual(await store.users.listByUserPrincipalNames(b.id, ['user5@alpha.test']), [])
    })

    it('appends many audit events in order', async () => {
      const event = (n: number) => ({
        tenantId: a.id,
        activity: 'Add user',
        service: 'Core Directory',
        category: 'UserManagement',
        actor: 'Directory Synchronization',
        target: `user${n}@alpha.test`,
        result: 'success' as const,
        failureReason: null,
        correlationId: 'bulk',
        details: { n: String(n) },
      })
      await store.audit.appendMany(range(0, 600).map(event))
      const newest = await store.audit.list(a.id, { correlationId: 'bulk', limit: 1000 })
      assert.equal(newest.length, 600)
      assert.deepEqual(newest.slice(0, 3).map((e) => e.details), [{ n: '599' }, { n: '598' }, { n: '597' }])
    })

    it('creates many groups, skipping taken names, and sets synced memberships by difference', async () => {
      const group = (name: string) => ({ displayName: name, description: `CN=${name}`, immutableId: `dn:${name}`, onPremisesSyncEnabled: true })
      const made = await store.groups.createMany(a.id, [group('Sales'), group('Ops'), group('sales')])
      assert.deepEqual(made.created.map((g) => g.displayName), ['Sales', 'Ops'])
      assert.deepEqual(made.conflicts.map((g) => g.displayName), ['sales'])
      const [sales, ops] = made.created
      const cloud = await store.groups.create(a.id, { displayName: 'Cloud', description: null, immutableId: null, onPremisesSyncEnabled: false })
      assert.ok(sales && ops && cloud.ok)
      const found = await store.groups.listByImmutableIds(a.id, ['dn:Sales', 'dn:nope'])
      assert.deepEqual(found.map((g) => g.id), [sales.id])
      const [u1, u2] = await store.users.listByImmutableIds(a.id, ['anchor-1', 'anchor-2'])
      assert.ok(u1 && u2)
      assert.ok((await store.groups.setMembers(a.id, cloud.value.id, [u1.id])).ok)
      await store.groups.setSyncedGroupsOfUsers(a.id, new Map([[u1.id, [sales.id, ops.id]], [u2.id, [ops.id]]]))
      await store.groups.setSyncedGroupsOfUsers(a.id, new Map([[u1.id, [ops.id]], [u2.id, [ops.id, sales.id]]]))
      const names = async (id: string) => (await store.groups.listGroupsOfUser(a.id, id)).map((g) => g.displayName)
      assert.deepEqual(await names(u1.id), ['Cloud', 'Ops'], 'a cloud group is left alone')
      assert.deepEqual(await names(u2.id), ['Ops', 'Sales'])
    })
  })
}
