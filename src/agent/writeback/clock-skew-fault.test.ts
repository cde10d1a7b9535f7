/** @module Fault: the agent's clock 10 minutes off. Expiries are the tenant's, so resets work, stale ones still fail, and the skew is logged. */
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { after, before, describe, it } from 'node:test'
import { type ChannelCloud, startChannelCloud, type TestAgent } from '../channel/channel-test-support.ts'
import { portalPasswords, addSyncedUser } from '../../cloud/sspr/sspr-test-support.ts'
import { sealPasswordPackage } from '../../crypto/writeback-envelope.ts'
import { PASSWORD_OPERATION_OP } from '../../protocol/password-operation.ts'
import { fakeAdWriteback } from './fake-ad-writeback.ts'
import { strongPassword } from './writeback-test-lab.ts'

const TEN_MINUTES = 10 * 60_000

describe('the agent clock skewed by 10 minutes', () => {
  let env: ChannelCloud
  let agent: TestAgent

  before(async () => {
    env = await startChannelCloud()
    agent = await env.register()
  })
  after(() => env?.close())

  for (const skew of [TEN_MINUTES, -TEN_MINUTES]) {
    const way = skew > 0 ? 'ahead' : 'behind'

    it(`resets with the agent ${way}, logs the skew once, and still refuses a stale package`, async () => {
      const clock = { now: () => Date.now() + skew }
      const ad = fakeAdWriteback(agent, { clock })
      const channel = env.connect(agent, { clock })
      channel.onRequest(PASSWORD_OPERATION_OP, ad.handler)
      assert.ok(await channel.whenOnline(5000))
      const eventsBefore = agent.events.events.length
      const anchor = ad.addUser()
      const user = await addSyncedUser(env.cloud, anchor)
      const password = strongPassword()

      const reset = await portalPasswords(env.cloud, 5000).resetBySelf(env.cloud.tenant, user, password, {
        name: user.userPrincipalName,
        correlationId: randomUUID(),
      })
      assert.ok(reset.ok, reset.ok ? '' : `${reset.error.code}: ${reset.error.detail}`)
      assert.deepEqual(ad.written, [password])

      // A package whose expiry passed on the tenant's clock, though not on the agent's when it is behind.
      const key = agent.key
      const stale = sealPasswordPackage(
        {
          trackingId: randomUUID(),
          tenantId: env.cloud.tenant.id,
          agentId: key.agentId,
          expiresAt: Date.now() - 1000,
          operation: 'reset',
          cloudAnchor: `User_${user.id}`,
          sourceAnchor: anchor,
          userPrincipalName: user.userPrincipalName,
          password: strongPassword(),
          unlockUser: true,
          forceChangePasswordNextLogon: false,
        },
        key.encryptionPublicKey,
      )
      const refused = await env.cloud.agents.requestAgent(key.agentId, PASSWORD_OPERATION_OP, stale, { timeoutMs: 5000 })
      assert.equal(refused.ok ? 'applied' : refused.error.code, 'IDB_ERR_WB_EXPIRED')
      assert.deepEqual(ad.written, [password], 'the stale package wrote nothing')

      const events = agent.events.events.slice(eventsBefore)
      const skewSeconds = Math.round(skew / 1000)
      const skewEvents = agent.events.events.filter((e) => e.id === 9102 && e.data?.skewSeconds === skewSeconds)
      assert.equal(skewEvents.length, 1, 'one clock-skew event for the connection')
      assert.match(skewEvents[0]!.message, new RegExp(`clock is 600 s ${way}`))
      assert.deepEqual(
        events.filter((e) => e.id === 32003 && 'frameId' in (e.data ?? {})),
        [],
        'no channel frame refused as expired',
      )
      await channel.close()
    })
  }
})
