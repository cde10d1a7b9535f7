import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { IdbridgeError } from '../../errors/idbridge-error.ts'
import { MemoryAgentChannel } from './memory-agent-channel.ts'

describe('the in-memory agent channel', () => {
  it('runs handlers, applies idempotency keys, maps throws and refuses sends while closed', async () => {
    const channel = new MemoryAgentChannel()
    let runs = 0
    channel.onRequest('test.count', async () => ({ ok: true, value: ++runs }))
    channel.onRequest('test.throw', async () => {
      throw new Error('boom')
    })
    assert.throws(() => channel.onRequest('test.count', async () => ({ ok: true, value: 0 })), /already registered/)
    assert.deepEqual(await channel.deliver('test.count', {}, { idempotencyKey: 'k' }), { ok: true, value: 1 })
    assert.deepEqual(await channel.deliver('test.count', {}, { idempotencyKey: 'k' }), { ok: true, value: 1 })
    assert.deepEqual(await channel.deliver('test.count', {}), { ok: true, value: 2 })
    const thrown = await channel.deliver('test.throw', {})
    assert.ok(!thrown.ok && IdbridgeError.is(thrown.error) && thrown.error.code === 'IDB_ERR_AGENT_REQUEST_FAILED')
    const missing = await channel.deliver('test.none', {})
    assert.equal(!missing.ok && missing.error.code, 'IDB_ERR_AGENT_UNSUPPORTED')
    assert.deepEqual(await channel.send('sync.batch', { n: 1 }), { ok: true, value: undefined })
    channel.setState('connecting')
    const refused = await channel.send('sync.batch', { n: 2 })
    assert.equal(!refused.ok && refused.error.code, 'IDB_ERR_CHANNEL_CLOSED')
    assert.deepEqual(channel.sent, [{ type: 'sync.batch', body: { n: 1 } }])
  })
})
