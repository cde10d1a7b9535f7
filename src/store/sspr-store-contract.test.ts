import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { after, before, describe, it } from 'node:test'
import { ManualClock } from '../time/clock.ts'
import type { Store } from './store.ts'
import type { Tenant, User } from './store-records.ts'
import { storeBackends } from './store-test-backends.ts'
import { newUserFixture } from './new-user-fixture.ts'

function unwrap<T>(result: { ok: true; value: T } | { ok: false; error: Error }): T {
  if (!result.ok) throw result.error
  return result.value
}

for (const backend of storeBackends) {
  describe(`${backend.name}: SSPR and relay storage contract`, () => {
    let store: Store
    let dispose: () => Promise<void>
    const clock = new ManualClock()
    let tenant: Tenant
    let user: User

    before(async () => {
      ;({ store, dispose } = await backend.open(clock))
      tenant = unwrap(await store.tenants.create({ name: 'gamma', displayName: 'Gamma', domain: 'gamma.test' }))
      user = unwrap(
        await store.users.create(tenant.id, newUserFixture({
          userPrincipalName: 'ann@gamma.test',
          givenName: 'Ann',
          surname: 'Lee',
          displayName: 'Ann Lee',
        })),
      )
    })
    after(() => dispose())

    it('keeps security info per user and replaces it whole', async () => {
      assert.equal(await store.securityInfo.get(tenant.id, user.id), undefined)
      const info = { email: 'ann@home.test', phone: null, totp: null, questions: [], updatedAt: 5 }
      await store.securityInfo.put(tenant.id, user.id, info)
      await store.securityInfo.put(tenant.id, user.id, { ...info, phone: '+14255550100', updatedAt: 6 })
      assert.deepEqual(await store.securityInfo.get(tenant.id, user.id), { ...info, phone: '+14255550100', updatedAt: 6 })
      assert.equal(await store.securityInfo.get('other-tenant', user.id), undefined)
    })

    it('applies one of two racing flow updates, and hides expired flows', async () => {
      const now = clock.now()
      const flow = await store.ssprFlows.create({
        idHash: randomUUID(),
        tenantId: tenant.id,
        state: { step: 'captcha' },
        expiresAt: now + 1000,
      })
      const first = await store.ssprFlows.update(flow, { step: 'gates' })
      const second = await store.ssprFlows.update(flow, { step: 'other' })
      assert.ok(first.ok)
      assert.ok(!second.ok && second.error.code === 'IDB_ERR_PRECONDITION_FAILED')
      assert.deepEqual((await store.ssprFlows.get(tenant.id, flow.idHash, now))?.state, { step: 'gates' })
      assert.equal(await store.ssprFlows.get('other-tenant', flow.idHash, now), undefined)
      assert.equal(await store.ssprFlows.get(tenant.id, flow.idHash, now + 1000), undefined)
      assert.equal(await store.ssprFlows.deleteExpired(now + 1000), 1)
    })

    it('stores throttles per tenant and subject', async () => {
      await store.ssprThrottles.put(tenant.id, 'ann', { attempts: [1, 2], blockedUntil: null })
      await store.ssprThrottles.put(tenant.id, 'ann', { attempts: [1, 2, 3], blockedUntil: 99 })
      assert.deepEqual(await store.ssprThrottles.get(tenant.id, 'ann'), { attempts: [1, 2, 3], blockedUntil: 99 })
      assert.equal(await store.ssprThrottles.get(tenant.id, 'bob'), undefined)
    })

    it('lets one node claim a writeback request once, and drops the ciphertext on completion', async () => {
      const now = clock.now()
      const request = {
        id: randomUUID(),
        tenantId: tenant.id,
        agentId: randomUUID(),
        node: 'node-a',
        operation: 'reset',
        envelope: '{"sealed":true}',
        status: 'pending' as const,
        result: null,
        createdAt: now,
        expiresAt: now + 60_000,
      }
      await store.writebackRequests.create(request)
      assert.equal(await store.writebackRequests.claim(request.id, 'node-b', now), undefined)
      const claims = await Promise.all([
        store.writebackRequests.claim(request.id, 'node-a', now),
        store.writebackRequests.claim(request.id, 'node-a', now),
      ])
      assert.equal(claims.filter(Boolean).length, 1)
      await store.writebackRequests.complete(request.id, '{"ok":true}')
      const done = await store.writebackRequests.get(request.id)
      assert.equal(done?.status, 'done')
      assert.equal(done?.envelope, null)
      assert.equal(done?.result, '{"ok":true}')
      assert.equal(await store.writebackRequests.deleteExpired(now + 60_000), 1)
    })
  })
}
