import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { createAdminToken } from '../../cloud/auth/admin-tokens.ts'
import { callCloud } from '../../cloud/https-test-client.ts'
import { ROTATE_WRITEBACK_KEYS_OP } from '../../protocol/password-operation.ts'
import { systemClock } from '../../time/clock.ts'
import { type ChannelCloud, startChannelCloud, waitFor } from '../channel/channel-test-support.ts'
import { readAgentKeyFile } from './agent-key-file.ts'
import { rotateKeysOnRequest } from './rotate-on-request.ts'

describe('turning writeback off and on rotates the agents\' writeback keys', () => {
  let env: ChannelCloud
  before(async () => {
    env = await startChannelCloud()
  })
  after(() => env.close())

  it('asks the online agent to rotate, and the tenant then seals for the new key', async () => {
    const agent = await env.register()
    const channel = env.connect(agent)
    channel.onRequest(ROTATE_WRITEBACK_KEYS_OP, rotateKeysOnRequest({ dir: agent.dir, eventLog: agent.events }))
    assert.ok(await channel.whenOnline(5000))
    const { token } = await createAdminToken(env.cloud.store, systemClock, { tenantId: env.cloud.tenant.id, name: 't' })
    const patch = (value: boolean) =>
      callCloud(env.cloud, '/api/v1/tenant/settings', {
        method: 'PATCH',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ passwordWritebackEnabled: value }),
      })
    const key = async () => (await env.cloud.store.agents.get(agent.key.agentId))!.encryptionPublicKey
    const rotatedFrom = (old: string) => waitFor('a new writeback key in the tenant', async () => (await key()) !== old, 15_000)
    const first = await key()
    assert.equal((await patch(true)).status, 200)
    await rotatedFrom(first)
    assert.ok(await channel.whenOnline(10_000))
    const second = await key()
    assert.equal((await patch(false)).status, 200)
    await new Promise((r) => setTimeout(r, 500))
    assert.equal(await key(), second, 'turning writeback off keeps the key')
    assert.equal((await patch(true)).status, 200)
    await rotatedFrom(second)
    // The tenant stores the new key before the agent swaps its file, so wait for the two to agree.
    await waitFor('the key file and the tenant to agree', async () => {
      const file = await readAgentKeyFile(agent.dir)
      return file.ok && file.value.encryptionPublicKey === (await key())
    }, 5000)
    assert.ok(agent.events.events.some((e) => e.id === 31018), 'KeyPairCreationSuccess logged')
    const audit = await env.cloud.store.audit.list(env.cloud.tenant.id, { limit: 10 })
    assert.ok(audit.some((a) => a.activity === 'Enable password writeback for directory'))
    assert.ok(audit.some((a) => a.activity === 'Disable password writeback for directory'))
    assert.ok(await channel.whenOnline(10_000), 'the agent reconnects with its new identity')
  })
})
