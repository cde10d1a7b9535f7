import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { ManualClock } from '../time/clock.ts'
import type { Store } from './store.ts'
import type { NewUser, Tenant } from './store-records.ts'
import { storeBackends } from './store-test-backends.ts'

const newUser = (upn: string, extra: Partial<NewUser> = {}): NewUser => ({
  userPrincipalName: upn,
  givenName: 'Ada',
  surname: 'Lovelace',
  displayName: 'Ada Lovelace',
  mail: upn,
  mobile: '+1 4255550100',
  accountEnabled: true,
  roles: [],
  passwordPolicies: [],
  licenses: ['ENTERPRISE'],
  onPremises: null,
  ...extra,
})

function unwrap<T>(result: { ok: true; value: T } | { ok: false; error: Error }): T {
  if (!result.ok) throw result.error
  return result.value
}

for (const backend of storeBackends) {
  describe(`${backend.name}: storage contract`, () => {
    let store: Store
    let dispose: () => Promise<void>
    const clock = new ManualClock()
    let a: Tenant
    let b: Tenant

    before(async () => {
      ;({ store, dispose } = await backend.open(clock))
      a = unwrap(await store.tenants.create({ name: 'alpha', displayName: 'Alpha', domain: 'alpha.test' }))
      b = unwrap(await store.tenants.create({ name: 'beta', displayName: 'Beta', domain: 'beta.test' }))
    })
    after(() => dispose())

    it('creates tenants with default settings and refuses a duplicate name', async () => {
      assert.equal((await store.tenants.getByName('alpha'))?.id, a.id)
      assert.equal(a.settings.ssprEnabled, false)
      const dup = await store.tenants.create({ name: 'alpha', displayName: 'x', domain: 'x.test' })
      assert.equal(dup.ok ? 'ok' : dup.error.code, 'IDB_ERR_CONFLICT')
      const updated = await store.tenants.updateSettings(a.id, { ...a.settings, ssprEnabled: true })
      assert.equal(updated?.settings.ssprEnabled, true)
      assert.deepEqual(
        (await store.tenants.list()).map((t) => t.name),
        ['alpha', 'beta'],
      )
    })

    it('keeps users apart by tenant and compares UPNs case-insensitively', async () => {
      const ada = unwrap(await store.users.create(a.id, newUser('ada@alpha.test')))
      assert.equal((await store.users.getByUserPrincipalName(a.id, 'ADA@Alpha.Test'))?.id, ada.id)
      assert.equal(await store.users.get(b.id, ada.id), undefined)
      assert.equal(await store.users.getByUserPrincipalName(b.id, 'ada@alpha.test'), undefined)
      const dup = await store.users.create(a.id, newUser('Ada@ALPHA.test'))
      assert.equal(dup.ok ? 'ok' : dup.error.code, 'IDB_ERR_CONFLICT')
      // The same UPN in another tenant is a different user.
      assert.ok((await store.users.create(b.id, newUser('ada@alpha.test'))).ok)
      const other = await store.users.update(b.id, ada.id, { displayName: 'x' })
      assert.equal(other.ok ? 'ok' : other.error.code, 'IDB_ERR_NOT_FOUND')
      assert.equal(await store.users.delete(b.id, ada.id), false)
    })

    it('round-trips every user field, including the on-premises identity', async () => {
      const synced = unwrap(
        await store.users.create(
          a.id,
          newUser('grace@alpha.test', {
            roles: ['GlobalAdministrator'],
            passwordPolicies: ['DisablePasswordExpiration'],
            onPremises: {
              immutableId: 'H552hI9GwEykZwosf74JeQ==',
              distinguishedName: 'CN=Grace,OU=Sync,DC=contoso,DC=test',
              samAccountName: 'grace',
              syncEnabled: true,
            },
          }),
        ),
      )
      const read = await store.users.getByImmutableId(a.id, 'H552hI9GwEykZwosf74JeQ==')
      assert.deepEqual(read, synced)
      assert.equal(read?.onPremises?.samAccountName, 'grace')
      assert.deepEqual(read?.roles, ['GlobalAdministrator'])
    })

    it('versions users and refuses a stale If-Match', async () => {
      const u = unwrap(await store.users.create(a.id, newUser('v@alpha.test')))
      assert.equal(u.version, 1)
      const v2 = unwrap(await store.users.update(a.id, u.id, { mobile: null }, { ifVersion: 1 }))
      assert.equal(v2.version, 2)
      assert.equal(v2.mobile, null)
      assert.equal(v2.givenName, 'Ada', 'an update leaves fields it was not given')
      const stale = await store.users.update(a.id, u.id, { mobile: '1' }, { ifVersion: 1 })
      assert.equal(stale.ok ? 'ok' : stale.error.code, 'IDB_ERR_PRECONDITION_FAILED')
      const taken = await store.users.update(a.id, u.id, { userPrincipalName: 'ADA@alpha.test' })
      assert.equal(taken.ok ? 'ok' : taken.error.code, 'IDB_ERR_CONFLICT')
      // updateMany: one statement, every version bumped, another tenant's id untouched.
      const w = unwrap(await store.users.create(a.id, newUser('w@alpha.test')))
      const other = unwrap(await store.users.create(b.id, newUser('other@beta.test')))
      const changed = await store.users.updateMany(a.id, [u.id, w.id, other.id], { passwordPolicies: ['DisablePasswordExpiration'] })
      assert.equal(changed, 2)
      assert.deepEqual((await store.users.get(a.id, u.id))?.passwordPolicies, ['DisablePasswordExpiration'])
      assert.equal((await store.users.get(a.id, u.id))?.version, 3)
      assert.equal((await store.users.get(a.id, w.id))?.version, 2)
      assert.deepEqual((await store.users.get(b.id, other.id))?.passwordPolicies, [])
      assert.equal(await store.users.updateMany(a.id, [], { mobile: null }), 0)
      assert.equal(await store.users.delete(a.id, w.id), true)
      assert.equal(await store.users.delete(b.id, other.id), true)
    })

    it('pages users in a stable order with a total', async () => {
      const page1 = await store.users.list(a.id, { offset: 0, limit: 2 })
      const page2 = await store.users.list(a.id, { offset: 2, limit: 2 })
      assert.equal(page1.total, 3)
      assert.equal(page1.users.length, 2)
      assert.equal(page2.users.length, 1)
      assert.equal(new Set([...page1.users, ...page2.users].map((u) => u.id)).size, 3)
    })

    it('revokes sessions by moving "valid from" and deleting live sessions', async () => {
      const u = unwrap(await store.users.create(a.id, newUser('s@alpha.test')))
      await store.sessions.create({ idHash: 'h1', tenantId: a.id, userId: u.id, createdAt: 1, expiresAt: 2 })
      assert.equal((await store.sessions.get('h1'))?.userId, u.id)
      const after = await store.users.revokeSessions(a.id, u.id, 12345)
      assert.equal(after?.sessionsValidFrom, 12345)
      assert.equal(await store.sessions.get('h1'), undefined)
    })

    it('keeps group members inside the tenant', async () => {
      const g = unwrap(
        await store.groups.create(a.id, {
          displayName: 'SSPR Users',
          description: null,
          immutableId: null,
          onPremisesSyncEnabled: false,
        }),
      )
      const dup = await store.groups.create(a.id, {
        displayName: 'sspr users',
        description: null,
        immutableId: null,
        onPremisesSyncEnabled: false,
      })
      assert.equal(dup.ok ? 'ok' : dup.error.code, 'IDB_ERR_CONFLICT')
      const ada = await store.users.getByUserPrincipalName(a.id, 'ada@alpha.test')
      const foreign = await store.users.getByUserPrincipalName(b.id, 'ada@alpha.test')
      assert.ok(ada && foreign)
      const refused = await store.groups.setMembers(a.id, g.id, [ada.id, foreign.id])
      assert.equal(refused.ok ? 'ok' : refused.error.code, 'IDB_ERR_INVALID_INPUT')
      assert.deepEqual(await store.groups.listMembers(a.id, g.id), [])
      unwrap(await store.groups.setMembers(a.id, g.id, [ada.id, ada.id]))
      assert.deepEqual(
        (await store.groups.listMembers(a.id, g.id)).map((u) => u.id),
        [ada.id],
      )
      assert.deepEqual(
        (await store.groups.listGroupsOfUser(a.id, ada.id)).map((x) => x.id),
        [g.id],
      )
      assert.equal((await store.groups.get(a.id, g.id))?.version, 2)
      assert.equal(await store.groups.get(b.id, g.id), undefined)
      // Deleting the user removes the membership with it.
      const gone = unwrap(await store.users.create(a.id, newUser('gone@alpha.test')))
      unwrap(await store.groups.setMembers(a.id, g.id, [ada.id, gone.id]))
      assert.equal(await store.users.delete(a.id, gone.id), true)
      assert.equal((await store.groups.listMembers(a.id, g.id)).length, 1)
    })

    it('stores verifiers, tokens and lockout state per tenant', async () => {
      const ada = await store.users.getByUserPrincipalName(a.id, 'ada@alpha.test')
      assert.ok(ada)
      await store.credentials.set(a.id, ada.id, { verifier: 'scrypt$1', mustChange: false })
      await store.credentials.set(a.id, ada.id, { verifier: 'scrypt$2', mustChange: true })
      assert.deepEqual(await store.credentials.get(a.id, ada.id), {
        verifier: 'scrypt$2',
        mustChange: true,
        updatedAt: clock.now(),
      })
      assert.equal(await store.credentials.get(b.id, ada.id), undefined)
      const bob = unwrap(await store.users.create(a.id, newUser('bob@alpha.test')))
      clock.advance(1000)
      await store.credentials.setMany(a.id, [
        { userId: ada.id, verifier: 'v1;PPH1_MD4,ada;', mustChange: false },
        { userId: bob.id, verifier: 'v1;PPH1_MD4,bob;', mustChange: true },
      ])
      assert.deepEqual(await store.credentials.get(a.id, ada.id), { verifier: 'v1;PPH1_MD4,ada;', mustChange: false, updatedAt: clock.now() })
      assert.deepEqual(await store.credentials.get(a.id, bob.id), { verifier: 'v1;PPH1_MD4,bob;', mustChange: true, updatedAt: clock.now() })
      await store.credentials.setMany(a.id, [])
      assert.equal(await store.users.delete(a.id, bob.id), true)

      await store.adminTokens.create({
        id: 't1',
        tenantId: a.id,
        name: 'ci',
        tokenHash: 'hash-1',
        createdAt: 1,
        expiresAt: null,
        revokedAt: null,
      })
      assert.equal((await store.adminTokens.getByHash('hash-1'))?.tenantId, a.id)
      assert.equal(await store.adminTokens.revoke(b.id, 't1', 5), false)
      assert.equal(await store.adminTokens.revoke(a.id, 't1', 5), true)
      assert.equal((await store.adminTokens.getByHash('hash-1'))?.revokedAt, 5)

      const state = { failures: 3, lockLevel: 1, lockedUntil: 99, recentBad: ['x', 'y'], updatedAt: 7 }
      await store.lockouts.put(a.id, ada.id, state)
      assert.deepEqual(await store.lockouts.get(a.id, ada.id), state)
      assert.equal(await store.lockouts.get(b.id, ada.id), undefined)
    })

    it('appends audit events and filters and pages them newest first', async () => {
      const base = {
        tenantId: a.id,
        service: 'Core Directory',
        category: 'UserManagement',
        actor: 'admin',
        failureReason: null,
        details: { k: 1 },
      }
      for (let i = 0; i < 5; i++) {
        clock.advance(1000)
        await store.audit.append({
          ...base,
          activity: i % 2 ? 'Update user' : 'Add user',
          target: `u${i}`,
          result: 'success',
          correlationId: `c${i}`,
        })
      }
      await store.audit.append({
        ...base,
        tenantId: b.id,
        activity: 'Add user',
        target: 'b',
        result: 'failure',
        correlationId: 'cb',
      })
      const all = await store.audit.list(a.id, { limit: 100 })
      assert.equal(all.length, 5)
      assert.deepEqual(
        all.map((e) => e.target),
        ['u4', 'u3', 'u2', 'u1', 'u0'],
      )
      assert.deepEqual(all[0]?.details, { k: 1 })
      assert.equal((await store.audit.list(a.id, { activity: 'Update user', limit: 100 })).length, 2)
      assert.equal((await store.audit.list(a.id, { correlationId: 'c2', limit: 100 }))[0]?.target, 'u2')
      assert.equal((await store.audit.list(a.id, { result: 'failure', limit: 100 })).length, 0)
      const page = await store.audit.list(a.id, { limit: 2 })
      const next = await store.audit.list(a.id, { limit: 2, before: page[1]!.id })
      assert.deepEqual(
        next.map((e) => e.target),
        ['u2', 'u1'],
      )
      assert.equal((await store.audit.list(a.id, { since: all[1]!.at, limit: 100 })).length, 2)
    })

    it('rolls back everything a failed transaction wrote', async () => {
      const failed = await store.transaction(async (tx) => {
        unwrap(await tx.users.create(a.id, newUser('tx@alpha.test')))
        return tx.users.create(a.id, newUser('ada@alpha.test'))
      })
      assert.equal(failed.ok, false)
      assert.equal(await store.users.getByUserPrincipalName(a.id, 'tx@alpha.test'), undefined)
      await assert.rejects(
        store.transaction(async (tx) => {
          unwrap(await tx.users.create(a.id, newUser('tx2@alpha.test')))
          throw new Error('boom')
        }),
        /boom/,
      )
      assert.equal(await store.users.getByUserPrincipalName(a.id, 'tx2@alpha.test'), undefined)
      const ok = await store.transaction(async (tx) => tx.users.create(a.id, newUser('tx3@alpha.test')))
      assert.ok(ok.ok)
      assert.ok(await store.users.getByUserPrincipalName(a.id, 'tx3@alpha.test'))
    })

    it('registers an agent once per token, within its hour, in the token’s tenant', async () => {
      const keys = { host: 'dc-agent-1', version: '0.1.0', identityPublicKey: 'id-pem', encryptionPublicKey: 'enc-pem' }
      await store.agents.createRegistrationToken(a.id, 'reg-1', clock.now() + 3_600_000)
      const first = await store.agents.register('reg-1', keys)
      assert.ok(first.ok)
      assert.equal(first.value.tenantId, a.id)
      assert.equal(first.value.state, 'offline')
      const again = await store.agents.register('reg-1', keys)
      assert.equal(again.ok ? 'ok' : again.error.code, 'IDB_ERR_AGENT_REGISTRATION_TOKEN')
      assert.match(again.ok ? '' : (again.error.detail ?? ''), /already used/)
      await store.agents.createRegistrationToken(a.id, 'reg-2', clock.now() + 1000)
      clock.advance(1001)
      const expired = await store.agents.register('reg-2', keys)
      assert.match(expired.ok ? '' : (expired.error.detail ?? ''), /expired/)
      const unknown = await store.agents.register('nope', keys)
      assert.match(unknown.ok ? '' : (unknown.error.detail ?? ''), /unknown/)

      await store.agents.markSeen(first.value.id, { state: 'online', node: 'node-a', version: '0.1.1' })
      const seen = await store.agents.get(first.value.id)
      assert.equal(seen?.state, 'online')
      assert.equal(seen?.version, '0.1.1')
      assert.equal(seen?.lastSeenAt, clock.now())
      assert.deepEqual(
        (await store.agents.list(a.id)).map((x) => x.id),
        [first.value.id],
      )
      assert.deepEqual(await store.agents.list(b.id), [])
      assert.equal(
        await store.agents.rotateKeys(b.id, first.value.id, { identityPublicKey: 'x', encryptionPublicKey: 'y' }),
        undefined,
      )
      clock.advance(5)
      const rotated = await store.agents.rotateKeys(a.id, first.value.id, {
        identityPublicKey: 'id2',
        encryptionPublicKey: 'enc2',
      })
      assert.equal(rotated?.encryptionPublicKey, 'enc2')
      assert.equal(rotated?.keysCreatedAt, clock.now())
      assert.equal(await store.agents.revoke(b.id, first.value.id), false)
      assert.equal(await store.agents.revoke(a.id, first.value.id), true)
      assert.ok((await store.agents.get(first.value.id))?.revokedAt)
    })

    it('treats SQL metacharacters as data', async () => {
      const upn = `o'brien"; drop table users; --@alpha.test`
      const u = unwrap(await store.users.create(a.id, newUser(upn, { displayName: "Robert'); DROP TABLE users;--" })))
      assert.equal((await store.users.getByUserPrincipalName(a.id, upn))?.id, u.id)
      assert.ok((await store.users.list(a.id, { offset: 0, limit: 1 })).total > 1)
    })
  })
}
