import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { after, before, describe, it } from 'node:test'
import type { Store } from '../store/store.ts'
import { storeBackends } from '../store/store-test-backends.ts'
import { sweepExpired } from './housekeeping.ts'

describe('housekeeping', () => {
  let store: Store
  let dispose: () => Promise<void>
  before(async () => {
    ;({ store, dispose } = await storeBackends[0]!.open())
  })
  after(() => dispose())

  it('removes expired reset flows and abandoned relay rows, and keeps live ones', async () => {
    const flow = (expiresAt: number) =>
      store.ssprFlows.create({ idHash: randomUUID(), tenantId: 't', state: {}, expiresAt })
    const request = (expiresAt: number) =>
      store.writebackRequests.create({
        id: randomUUID(),
        tenantId: 't',
        agentId: randomUUID(),
        node: 'n',
        operation: 'reset',
        envelope: '{}',
        status: 'pending',
        result: null,
        createdAt: 0,
        expiresAt,
      })
    const live = await flow(2000)
    await flow(500)
    await request(500)
    await request(2000)
    assert.deepEqual(await sweepExpired(store, 1000), { flows: 1, writebackRequests: 1 })
    assert.ok(await store.ssprFlows.get('t', live.idHash, 1000))
    assert.deepEqual(await sweepExpired(store, 1000), { flows: 0, writebackRequests: 0 })
  })
})
