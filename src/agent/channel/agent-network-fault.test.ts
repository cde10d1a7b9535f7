/** @module Fault: the agent's network cut and restored, by resets and by silently dropped traffic. */
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { after, before, describe, it } from 'node:test'
import type { PasswordService } from '../../cloud/sspr/password-service.ts'
import { addSyncedUser, portalPasswords } from '../../cloud/sspr/sspr-test-support.ts'
import { PASSWORD_OPERATION_OP } from '../../protocol/password-operation.ts'
import type { User } from '../../store/store-records.ts'
import { type FakeAdWriteback, fakeAdWriteback } from '../writeback/fake-ad-writeback.ts'
import { strongPassword } from '../writeback/writeback-test-lab.ts'
import { type ChannelCloud, startChannelCloud, type TestAgent, waitFor } from './channel-test-support.ts'
import { TcpFaultProxy } from './tcp-fault-proxy.ts'
import type { WsAgentChannel } from './ws-agent-channel.ts'

/** The tenant gives up on a silent agent after this; the agent heartbeats every 200 ms. */
const SILENCE_MS = 1000

describe('the agent network cut and restored', () => {
  let env: ChannelCloud
  let agent: TestAgent
  let proxy: TcpFaultProxy
  let ad: FakeAdWriteback
  let channel: WsAgentChannel
  let user: User
  let passwords: PasswordService
  /** Passwords the portal reported as set: AD must hold exactly these, each once. */
  const confirmed: string[] = []

  /** One SSPR reset step: what the result page shows, and how long the user waited. */
  const reset = async () => {
    const password = strongPassword()
    const started = Date.now()
    const actor = { name: user.userPrincipalName, correlationId: randomUUID() }
    const result = await passwords.resetBySelf(env.cloud.tenant, user, password, actor)
    if (result.ok) confirmed.push(password)
    const shown = result.ok ? 'ok' : `${result.error.code} (${String(result.error.data?.agentCode)})`
    return { shown, waitedMs: Date.now() - started }
  }
  const connectionEvents = (since: number, id: number) => agent.events.events.slice(since).filter((e) => e.id === id)
  const tenantSeesAgent = () => env.cloud.agents.online(env.cloud.tenant.id).length > 0
  const storedState = async () => (await env.cloud.store.agents.get(agent.key.agentId))?.state

  before(async () => {
    env = await startChannelCloud({ silenceTimeoutMs: SILENCE_MS })
    agent = await env.register()
    proxy = await TcpFaultProxy.start([Number(new URL(env.cloud.url).port)])
    env.cloud.agents.allowOrigins([proxy.url])
    ad = fakeAdWriteback(agent)
    user = await addSyncedUser(env.cloud, ad.addUser())
    passwords = portalPasswords(env.cloud, 4000)
    channel = env.connect(agent, { cloudUrl: proxy.url, handshakeTimeoutMs: 1000, backoff: { initialMs: 100, maxMs: 800 } })
    channel.onRequest(PASSWORD_OPERATION_OP, ad.handler)
    assert.ok(await channel.whenOnline(5000))
  })

  after(async () => {
    await env?.close()
    await proxy?.stop()
  })

  it('connections reset: resets say "agent offline" at once, the agent backs off, then recovers alone', async () => {
    assert.equal((await reset()).shown, 'ok')
    const since = agent.events.events.length
    proxy.cut('reset')
    await waitFor('the tenant to drop the agent', () => !tenantSeesAgent())
    const inGap = await reset()
    assert.equal(inGap.shown, 'SSPR_0029 (IDB_ERR_AGENT_OFFLINE)')
    assert.ok(inGap.waitedMs < 1000, `the user waited ${inGap.waitedMs} ms`)
    await waitFor('four failed reconnects', () => connectionEvents(since, 31034).length >= 4, 5000)
    assert.equal((await reset()).shown, 'SSPR_0029 (IDB_ERR_AGENT_OFFLINE)')
    await waitFor('offline in the store', async () => (await storedState()) === 'offline')

    // Equal-jitter backoff: attempt n waits between half and all of 100 ms × 2^(n-1), capped at 800 ms.
    const retries = connectionEvents(since, 31034).map((e) => [Number(e.data?.attempt), Number(e.data?.retryInMs)])
    for (const [attempt, waitMs] of retries) {
      const ceiling = Math.min(800, 100 * 2 ** (attempt! - 1))
      assert.ok(waitMs! >= ceiling / 2 && waitMs! <= ceiling, `attempt ${attempt} waited ${waitMs} ms`)
    }
    assert.ok(retries.at(-1)![1]! >= 400, 'the waits grew')

    proxy.restore()
    assert.ok(await channel.whenOnline(3000), 'back online without a restart')
    assert.ok(connectionEvents(since, 9101).length === 1 && connectionEvents(since, 9100).length === 1)
    assert.equal((await reset()).shown, 'ok')
    assert.deepEqual(ad.written, confirmed, 'AD took each confirmed reset once, and nothing else')
  })

  it('traffic dropped: a reset sent into the silence is "outcome unknown", later ones "offline"', async () => {
    const since = agent.events.events.length
    proxy.cut('blackhole')
    // The tenant still holds an open socket: the request goes out and nothing comes back.
    const lost = await reset()
    assert.equal(lost.shown, 'SSPR_OUTCOME_UNKNOWN (IDB_ERR_AGENT_OUTCOME_UNKNOWN)')
    assert.ok(lost.waitedMs < SILENCE_MS + 1000, `the user waited ${lost.waitedMs} ms, not the whole 4 s`)
    assert.equal(tenantSeesAgent(), false)
    assert.equal((await reset()).shown, 'SSPR_0029 (IDB_ERR_AGENT_OFFLINE)')
    await waitFor('a handshake timeout on a swallowed connection', () =>
      connectionEvents(since, 31034).some((e) => /no welcome/.test(String(e.data?.error))),
    )

    proxy.restore()
    assert.ok(await channel.whenOnline(5000), 'back online without a restart')
    await waitFor('the tenant to see the agent', tenantSeesAgent)
    assert.equal((await reset()).shown, 'ok')
    assert.deepEqual(ad.written, confirmed, 'the lost request never reached AD; nothing was written twice')
  })
})
