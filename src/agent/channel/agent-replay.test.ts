import assert from 'node:assert/strict'
import { generateKeyPairSync, randomUUID } from 'node:crypto'
import { mkdtempSync } from 'node:fs'
import { createServer } from 'node:https'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { after, before, describe, it } from 'node:test'
import { WebSocketServer, type WebSocket } from 'ws'
import { loadTlsMaterial } from '../../cloud/tls-material.ts'
import { MemoryEventLog } from '../events/agent-event.ts'
import { waitFor } from './channel-test-support.ts'
import { WsAgentChannel } from './ws-agent-channel.ts'

type Frame = Record<string, unknown> & { type: string }

describe('the agent refusing replayed and expired requests from a (fake) tenant', () => {
  const responses: Frame[] = []
  let tenantSocket: WebSocket | undefined
  let server: ReturnType<typeof createServer>
  let wss: WebSocketServer
  let channel: WsAgentChannel
  const events = new MemoryEventLog()
  let runs = 0

  before(async () => {
    const tls = await loadTlsMaterial({
      dataDir: mkdtempSync(path.join(tmpdir(), 'idb-fake-tenant-')),
      hostnames: ['localhost', '127.0.0.1'],
    })
    server = createServer({ cert: tls.cert, key: tls.key })
    wss = new WebSocketServer({ server, path: '/agent/connect' })
    wss.on('connection', (ws) => {
      ws.send(JSON.stringify({ id: randomUUID(), type: 'challenge', expiresAt: Date.now() + 10_000, nonce: 'n'.repeat(43), serverTime: Date.now() }))
      ws.on('message', (data) => {
        const frame = JSON.parse(String(data)) as Frame
        if (frame.type === 'hello') {
          tenantSocket = ws
          ws.send(
            JSON.stringify({
              id: randomUUID(),
              type: 'welcome',
              expiresAt: Date.now() + 10_000,
              tenantId: 't1',
              node: 'fake',
              serverTime: Date.now(),
              silenceTimeoutMs: 10_000,
            }),
          )
        }
        if (frame.type === 'response') responses.push(frame)
      })
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const { port } = server.address() as AddressInfo
    const identityPrivateKey = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()
    channel = new WsAgentChannel({
      cloudUrl: `https://127.0.0.1:${port}`,
      ca: tls.cert,
      loadIdentity: async () => ({ ok: true, value: { agentId: randomUUID(), identityPrivateKey } }),
      eventLog: events,
      heartbeatMs: 1000,
    })
    channel.onRequest('test.reset', async (body) => {
      runs += 1
      return { ok: true, value: { run: runs, body } }
    })
    channel.start()
    assert.ok(await channel.whenOnline(5000))
  })
  after(async () => {
    await channel.close()
    wss.close()
    await new Promise((resolve) => server.close(resolve))
  })

  const request = (overrides: Record<string, unknown> = {}) => ({
    id: randomUUID(),
    type: 'request',
    expiresAt: Date.now() + 30_000,
    op: 'test.reset',
    body: { user: 'ada' },
    ...overrides,
  })
  const answerTo = async (id: unknown) => {
    await waitFor(`a response to ${id}`, () => responses.some((r) => r.replyTo === id), 3000)
    return responses.find((r) => r.replyTo === id)!
  }

  it('runs a request once, rejects its replay and an expired one, and logs 32003 for each', async () => {
    const fresh = request()
    tenantSocket!.send(JSON.stringify(fresh))
    assert.deepEqual((await answerTo(fresh.id)).body, { run: 1, body: { user: 'ada' } })
    tenantSocket!.send(JSON.stringify(fresh))
    await waitFor('the replay rejection', () => responses.filter((r) => r.replyTo === fresh.id).length === 2, 3000)
    const replay = responses.filter((r) => r.replyTo === fresh.id)[1]!
    assert.equal((replay.error as { code: string }).code, 'IDB_ERR_CHANNEL_REPLAY')
    // Well past: the agent measures expiry on the tenant's clock as it learned it from heartbeats,
    // which lags the sender by the message's transit time, a few milliseconds on a busy machine.
    const stale = request({ expiresAt: Date.now() - 5_000 })
    tenantSocket!.send(JSON.stringify(stale))
    assert.equal(((await answerTo(stale.id)).error as { code: string }).code, 'IDB_ERR_CHANNEL_EXPIRED')
    assert.equal(runs, 1)
    const rejected = events.events.filter((e) => e.id === 32003).map((e) => [e.data?.reason, e.data?.frameId])
    assert.deepEqual(rejected, [
      ['replay', fresh.id],
      ['expired', stale.id],
    ])
  })

  it('returns the recorded result for a repeated idempotency key instead of running twice', async () => {
    const before = runs
    const first = request({ idempotencyKey: 'reset-42' })
    const second = request({ idempotencyKey: 'reset-42' })
    tenantSocket!.send(JSON.stringify(first))
    tenantSocket!.send(JSON.stringify(second))
    const a = await answerTo(first.id)
    const b = await answerTo(second.id)
    assert.deepEqual(a.body, b.body)
    assert.equal(runs, before + 1)
  })
})
