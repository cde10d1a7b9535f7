/** @module End to end: the tenant's relay seals a reset, the running agent (startAgent) applies it on the Samba lab. */
import assert from 'node:assert/strict'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { after, before, describe, test } from 'node:test'
import { prepareLabAgent } from '../../cli/demo-agent.ts'
import { type RunningCloud, startCloud } from '../../cloud/start-cloud.ts'
import { loadConfig } from '../../config/load-config.ts'
import { kinit } from '../../lab/lab-test-clients.ts'
import { agentConfigSchema } from '../agent-config.ts'
import { type ConnectorTestLab, connectorTestFixture } from '../directory/connector-test-lab.ts'
import { readEvents } from '../events/jsonl-event-log.ts'
import { type RunningAgent, startAgent } from '../start-agent.ts'
import { strongPassword } from './writeback-test-lab.ts'

describe('password writeback through a running agent (tenant relay → agent → Samba lab)', () => {
  const fixture = connectorTestFixture()
  let t: ConnectorTestLab
  let cloud: RunningCloud
  let agent: RunningAgent | undefined
  const agentDir = mkdtempSync(path.join(tmpdir(), 'idb-wb-agent-'))

  before(async () => {
    t = await fixture.get()
    const dataDir = mkdtempSync(path.join(tmpdir(), 'idb-wb-cloud-'))
    const configFile = path.join(dataDir, 'idbridge.config.json')
    writeFileSync(configFile, JSON.stringify({ dataDir, http: { port: 0 } }))
    cloud = await startCloud(loadConfig({ file: configFile, env: {} }))
    await prepareLabAgent(cloud, t.lab, agentDir, { ous: [t.inOu], sync: { presenceCheckSeconds: 0 } })
    agent = await startAgent(agentDir)
    assert.ok(await agent.channel.whenOnline(20_000), 'the agent came online')
  })

  after(async () => {
    await agent?.stop()
    await cloud?.close()
    await fixture.cleanup()
  })

  test('an agent config written before writeback existed parses with writeback on and "proceed"', () => {
    const old = {
      directory: {
        domainControllers: ['ldaps://dc1.contoso.test'],
        baseDn: 'DC=contoso,DC=test',
        bindDn: 'CN=svc,DC=contoso,DC=test',
        bindPasswordFile: 'connector.password',
        caCertFile: 'ca.pem',
        scope: { ous: ['OU=Synced,DC=contoso,DC=test'] },
      },
    }
    assert.deepEqual(agentConfigSchema.parse(old).writeback, { enabled: true, withoutPolicyHints: 'proceed' })
  })

  test('reset and verify reach AD; the agent logs the reference events without the password', async () => {
    const password = strongPassword()
    const dn = await t.addUser('Eve Endtoend', { password })
    const sourceAnchor = await t.objectGuid(dn)
    const request = {
      cloudAnchor: 'User_e2e',
      sourceAnchor,
      userPrincipalName: `ct-eveendtoend@${t.lab.dnsDomain}`,
      unlockUser: true,
      forceChangePasswordNextLogon: false,
    }
    const next = strongPassword()
    const resetRequest = { ...request, operation: 'reset', password: next } as const
    const reset = await cloud.relay.submit(cloud.tenant.id, resetRequest, { waitMs: 20_000 })
    assert.ok(reset.ok, reset.ok ? '' : `${reset.error.code}: ${reset.error.detail}`)
    assert.deepEqual([reset.value.operation, reset.value.unlocked, reset.value.historyEnforced], ['reset', true, false])
    assert.equal((await kinit(t.lab, 'ct-eveendtoend', next)).code, 0)
    const verify = (candidate: string) =>
      cloud.relay.submit(cloud.tenant.id, { ...request, operation: 'verify', password: candidate }, { waitMs: 20_000 })
    assert.ok((await verify(next)).ok)
    // Not the old password: a simple bind still takes it for "old password allowed period" (60 min).
    const wrong = await verify(strongPassword())
    assert.equal(wrong.ok ? 'ok' : wrong.error.code, 'IDB_ERR_WB_INCORRECT_PASSWORD')
    const events = readEvents(path.join(agentDir, 'events'), {})
    const ofReset = events.filter((e) => e.message.includes(reset.value.trackingId) || [405, 403].includes(e.id))
    const ids = ofReset.map((e) => e.id)
    assert.deepEqual(ids, [31001, 405, 403, 31002])
    const text = JSON.stringify(events)
    assert.ok(!text.includes(next) && !text.includes(password), 'no password in the agent event log')
  })
})
