import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { ManualClock } from '../time/clock.ts'
import { newSortableId } from './sortable-id.ts'
import type { Store } from './store.ts'
import { storeBackends } from './store-test-backends.ts'

describe('sortable ids', () => {
  it('are 28 lowercase base-36/hex characters and increase within one millisecond', () => {
    const ids = Array.from({ length: 2000 }, () => newSortableId(1_800_000_000_000))
    for (const id of ids) assert.match(id, /^[0-9a-z]{28}$/)
    assert.deepEqual([...ids].sort(), ids)
    assert.ok(newSortableId(1_800_000_000_001) > ids.at(-1)!)
  })
})

for (const backend of storeBackends) {
  describe(`${backend.name}: audit order within one millisecond`, () => {
    let store: Store
    let dispose: () => Promise<void>
    before(async () => {
      ;({ store, dispose } = await backend.open(new ManualClock()))
    })
    after(() => dispose())

    it('lists events written in the same millisecond newest first', async () => {
      for (let i = 0; i < 30; i++) {
        await store.audit.append({
          tenantId: 't',
          activity: `step ${i}`,
          service: 's',
          category: 'c',
          actor: 'a',
          target: null,
          result: 'success',
          failureReason: null,
          correlationId: 'x',
          details: {},
        })
      }
      const listed = await store.audit.list('t', { limit: 30 })
      assert.deepEqual(
        listed.map((e) => e.activity),
        Array.from({ length: 30 }, (_, i) => `step ${29 - i}`),
      )
    })
  })
}
