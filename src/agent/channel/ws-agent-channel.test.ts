import assert from 'node:assert/strict'
import { generateKeyPairSync, randomUUID } from 'node:crypto'
import { after, before, describe, it } from 'node:test'
import { DEFAULT_SILENCE_TIMEOUT_MS } from '../../cloud/agents/agent-hub.ts'
import { closeCodes } from '../../protocol/channel-close-codes.ts'
import { MAX_FRAME_BYTES } from '../../protocol/channel-frames.ts'
import { ReplayGuard } from '../../protocol/replay-guard.ts'
import { systemClock } from '../../time/clock.ts'
import { rotateAgentKeys } from '../keys/rotate-agent-keys.ts'
import { openAgentSession } from './agent-session.ts'
import { type ChannelCloud, startChannelCloud, type TestAgent, waitFor } from './channel-test-support.ts'
import { DEFAULT_HEARTBEAT_MS } from './ws-agent-channel.ts'

const echo = (seen: number[]) => async (body: unknown) => {
  const n = (body as { n: number }).n
  seen.push(n)
  return { ok: true as const, value: { n } }
}

function handshake(env: ChannelCloud, identity: { agentId: string; identityPrivateKey: string }) {
  return openAgentSession({
    cloudUrl: env.cloud.url,
    ca: env.ca,
    identity,
    host: 'probe',
    version: 'test',
    purpose: 'control',
    clock: systemClock,
    handshakeTimeoutMs: 3000,
    heartbeatMs: 1000,
    messageTtlMs: 30_000,
    replayGuard: new ReplayGuard({ maxTtlMs: 600_000 }),
    onRequest: async () => ({ ok: true, value: null }),
    onRejected: () => {},
  })
}

describe('the agent channel against the real tenant service', () => {
  let env: ChannelCloud
  let a: TestAgent
  let b: TestAgent
  before(async () => {
    env = await startChannelCloud()
    a = await env.register('dc-host-a')
    b = await env.register('dc-host-b')
  })
  after(() => env.close())

  it('refuses an unregistered key, with a random id or another agent id, and logs the refusal', async () => {
    const { privateKey } = generateKeyPairSync('ed25519')
    const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()
    for (const agentId of [randomUUID(), a.key.agentId]) {
      const refused = await handshake(env, { agentId, identityPrivateKey: pem })
      assert.equal(refused.ok, false)
      assert.equal(!refused.ok && refused.error.code, 'IDB_ERR_AGENT_UNKNOWN_KEY')
    }
    const log = await env.logContaining('signature does not match')
    assert.match(log, /unknown agent id/)
    assert.match(log, new RegExp(`"agentId":"${a.key.agentId}".*signature does not match`))
    const accepted = await handshake(env, a.key)
    assert.ok(accepted.ok, 'the registered key is accepted')
    accepted.value.frames.close()
  })

  it('delivers 200 requests exactly once across two online agents, and marks them online', async () => {
    const seenA: number[] = []
    const seenB: number[] = []
    const chA = env.connect(a)
    const chB = env.connect(b)
    chA.onRequest('test.echo', echo(seenA))
    chB.onRequest('test.echo', echo(seenB))
    assert.ok(await chA.whenOnline(5000))
    assert.ok(await chB.whenOnline(5000))
    const started = performance.now()
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, n) => env.cloud.agents.request(env.cloud.tenant.id, 'test.echo', { n }, { timeoutMs: 5000 })),
    )
    const ms = performance.now() - started
    assert.deepEqual(
      results.map((r) => (r.ok ? (r.value as { n: number }).n : r.error.code)),
      Array.from({ length: 200 }, (_, n) => n),
    )
    const all = [...seenA, ...seenB].sort((x, y) => x - y)
    assert.deepEqual(all, Array.from({ length: 200 }, (_, n) => n), 'each request handled exactly once in total')
    assert.ok(seenA.length > 0 && seenB.length > 0, `both agents got work: ${seenA.length}/${seenB.length}`)
    assert.ok(ms < 5000, `200 requests took ${ms} ms`)
    await waitFor('both agents online in the store', async () => {
      const agents = await env.cloud.store.agents.list(env.cloud.tenant.id)
      return agents.filter((x) => x.state === 'online' && x.connectedNode !== null).length === 2
    })
    const stored = await env.cloud.store.agents.get(a.key.agentId)
    assert.equal(stored?.host, a.key.agentId.slice(0, 8), 'the host the agent reported on welcome')
    assert.ok(a.events.events.some((e) => e.id === 9100), 'a connected event')
    await Promise.all([chA.close(), chB.close()])
    await waitFor('both agents offline after closing', async () => {
      const agents = await env.cloud.store.agents.list(env.cloud.tenant.id)
      return agents.every((x) => x.state === 'offline')
    })
  })

  it('answers IDB_ERR_AGENT_OFFLINE when no agent is online and refuses a body over one frame, without waiting', async () => {
    const result = await env.cloud.agents.request(env.cloud.tenant.id, 'test.echo', {}, { timeoutMs: 5000 })
    assert.equal(!result.ok && result.error.code, 'IDB_ERR_AGENT_OFFLINE')
    const huge = { s: 'x'.repeat(MAX_FRAME_BYTES) }
    const refused = await env.cloud.agents.request(env.cloud.tenant.id, 'test.echo', huge, { timeoutMs: 5000 })
    assert.equal(!refused.ok && refused.error.code, 'IDB_ERR_CHANNEL_INVALID', 'too big for a frame: refused, not sent')
  })

  it('gives IDB_ERR_AGENT_OUTCOME_UNKNOWN when the agent dies mid-request, and does not retry on the other', async () => {
    const calls = { a: 0, b: 0 }
    const chA = env.connect(a)
    const chB = env.connect(b)
    chA.onRequest('test.kill', async () => {
      calls.a += 1
      void chA.terminate()
      return new Promise(() => {})
    })
    chB.onRequest('test.kill', async () => {
      calls.b += 1
      void chB.terminate()
      return new Promise(() => {})
    })
    assert.ok((await chA.whenOnline(5000)) && (await chB.whenOnline(5000)))
    const result = await env.cloud.agents.request(env.cloud.tenant.id, 'test.kill', {}, { timeoutMs: 5000 })
    assert.equal(!result.ok && result.error.code, 'IDB_ERR_AGENT_OUTCOME_UNKNOWN')
    assert.equal(calls.a + calls.b, 1, 'exactly one agent saw the request: no blind retry')
    await Promise.all([chA.close(), chB.close()])
  })

  it('times out with IDB_ERR_AGENT_TIMEOUT when the agent does not answer', async () => {
    const ch = env.connect(a)
    ch.onRequest('test.hang', () => new Promise(() => {}))
    assert.ok(await ch.whenOnline(5000))
    const started = Date.now()
    const result = await env.cloud.agents.request(env.cloud.tenant.id, 'test.hang', {}, { timeoutMs: 300 })
    assert.equal(!result.ok && result.error.code, 'IDB_ERR_AGENT_TIMEOUT')
    assert.ok(Date.now() - started < 2000)
    await ch.close()
  })

  it('reconnects after the tenant drops the socket, and logs both', async () => {
    const ch = env.connect(a)
    ch.onRequest('test.echo', echo([]))
    assert.ok(await ch.whenOnline(5000))
    const before = a.events.events.filter((e) => e.id === 9100).length
    assert.ok(env.cloud.agents.disconnectAgent(a.key.agentId, closeCodes.goingAway, 'test drop') >= 1)
    await waitFor('a second connected event', () => a.events.events.filter((e) => e.id === 9100).length > before)
    assert.ok(a.events.events.some((e) => e.id === 9101), 'a disconnected event')
    const result = await env.cloud.agents.request(env.cloud.tenant.id, 'test.echo', { n: 7 }, { timeoutMs: 5000 })
    assert.deepEqual(result, { ok: true, value: { n: 7 } })
    await ch.close()
  })

  it('works with the agent clock 10 minutes ahead or behind', async () => {
    for (const skew of [10 * 60_000, -10 * 60_000]) {
      const clock = { now: () => Date.now() + skew }
      const ch = env.connect(a, { clock })
      ch.onRequest('test.echo', echo([]))
      assert.ok(await ch.whenOnline(5000), `online with skew ${skew}`)
      const down = await env.cloud.agents.request(env.cloud.tenant.id, 'test.echo', { n: 1 }, { timeoutMs: 5000 })
      assert.deepEqual(down, { ok: true, value: { n: 1 } }, `tenant → agent with skew ${skew}`)
      const up = await ch.send('test.unknown-op', {})
      assert.equal(!up.ok && up.error.code, 'IDB_ERR_AGENT_UNSUPPORTED', `agent → tenant reached the hub with skew ${skew}`)
      assert.equal(a.events.events.filter((e) => e.id === 32003).length, 0, 'no frame rejected as expired')
      await ch.close()
    }
  })

  it('logs 31034 and keeps retrying with backoff while the tenant is unreachable', async () => {
    const ch = env.connect(
      { ...a, key: { ...a.key, cloudUrl: 'https://127.0.0.1:1' } },
      { cloudUrl: 'https://127.0.0.1:1', backoff: { initialMs: 20, maxMs: 80 } },
    )
    await waitFor('three 31034 events', () => a.events.events.filter((e) => e.id === 31034).length >= 3)
    assert.equal(ch.state, 'connecting')
    await ch.close()
    assert.equal(ch.state, 'closed')
  })

  it('rotate-keys makes the old key useless and the running agent reconnects with the new one', async () => {
    const ch = env.connect(a)
    assert.ok(await ch.whenOnline(5000))
    const oldKey = a.key
    const rotated = await rotateAgentKeys({ dir: a.dir, eventLog: a.events })
    assert.ok(rotated.ok, rotated.ok ? '' : rotated.error.message)
    assert.ok(a.events.events.some((e) => e.id === 31018 && e.data?.reason === 'rotate-keys'))
    const stale = await handshake(env, oldKey)
    assert.equal(!stale.ok && stale.error.code, 'IDB_ERR_AGENT_UNKNOWN_KEY')
    const stored = await env.cloud.store.agents.get(oldKey.agentId)
    assert.notEqual(stored?.identityPublicKey, oldKey.identityPublicKey)
    // The tenant closed the running connection (it was authenticated by the old key); it comes back with the new file.
    await waitFor('the channel back online with the new key', async () => {
      const r = await env.cloud.agents.request(env.cloud.tenant.id, 'test.none', {}, { timeoutMs: 1000 })
      return !r.ok && r.error.code === 'IDB_ERR_AGENT_UNSUPPORTED'
    })
    await ch.close()
  })

  it('has defaults that mark a silent agent offline within 15 s', () => {
    assert.ok(DEFAULT_SILENCE_TIMEOUT_MS <= 15_000)
    assert.ok(DEFAULT_HEARTBEAT_MS * 2 < DEFAULT_SILENCE_TIMEOUT_MS, 'two heartbeats fit in the silence window')
  })
})

describe('the tenant watching for silence', () => {
  let env: ChannelCloud
  before(async () => {
    env = await startChannelCloud({ silenceTimeoutMs: 600 })
  })
  after(() => env.close())

  it('keeps a heartbeating agent online and marks a silent one offline within the timeout', async () => {
    const agent = await env.register()
    const lively = env.connect(agent, { heartbeatMs: 150 })
    assert.ok(await lively.whenOnline(5000))
    await new Promise((resolve) => setTimeout(resolve, 1500))
    assert.equal(env.cloud.agents.online(env.cloud.tenant.id).length, 1, 'heartbeats kept it online past the timeout')
    await lively.close()

    // Heartbeats far apart and a slow reconnect: the agent goes silent and stays away.
    const silent = env.connect(agent, { heartbeatMs: 60_000, backoff: { initialMs: 20_000, maxMs: 20_000 } })
    assert.ok(await silent.whenOnline(5000))
    await waitFor('online in the store', async () => (await env.cloud.store.agents.get(agent.key.agentId))?.state === 'online')
    const silentSince = Date.now()
    await waitFor('offline in the store', async () => (await env.cloud.store.agents.get(agent.key.agentId))?.state === 'offline', 3000)
    const took = Date.now() - silentSince
    assert.ok(took < 600 + 500, `offline after ${took} ms of silence`)
    assert.match(await env.logContaining('agent silent'), /agent silent: marking it offline/)
    await silent.close()
  })
})
