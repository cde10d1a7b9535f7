import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { after, before, describe, it } from 'node:test'
import pg from 'pg'
import { MemoryEventLog } from '../../agent/events/agent-event.ts'
import { readAgentKeyFile } from '../../agent/keys/agent-key-file.ts'
import { registerAgent } from '../../agent/keys/register-agent.ts'
import { waitFor } from '../../agent/channel/channel-test-support.ts'
import { WsAgentChannel } from '../../agent/channel/ws-agent-channel.ts'
import { loadConfig } from '../../config/load-config.ts'
import { openPasswordEnvelope } from '../../crypto/writeback-envelope.ts'
import { IdbridgeError } from '../../errors/idbridge-error.ts'
import { PASSWORD_OPERATION_OP } from '../../protocol/password-operation.ts'
import { testDatabaseUrl } from '../../store/store-test-backends.ts'
import { systemClock } from '../../time/clock.ts'
import { createRegistrationToken } from '../agents/registration-tokens.ts'
import { type RunningCloud, startCloud } from '../start-cloud.ts'
import type { PasswordOperationRequest } from './writeback-relay.ts'

const PASSWORD = `Relay-${randomBytes(6).toString('hex')}-Aa1!`

const request = (operation: PasswordOperationRequest['operation'] = 'reset'): PasswordOperationRequest => ({
  operation,
  cloudAnchor: 'User_1',
  sourceAnchor: 'AAECAwQFBgcICQoLDA0ODw==',
  userPrincipalName: 'ann@contoso.test',
  password: PASSWORD,
  unlockUser: true,
  forceChangePasswordNextLogon: false,
})

describe('writeback relay across two tenant nodes on one PostgreSQL', () => {
  const schema = `idb_relay_${randomBytes(5).toString('hex')}`
  let nodeA: RunningCloud
  let nodeB: RunningCloud
  let channel: WsAgentChannel
  let seenRows: (string | null)[] = []
  /** What the fake agent does with the next request. */
  let behaviour: 'succeed' | 'policy' | 'hang' | 'die' = 'succeed'

  const startNode = (name: string) => {
    const dataDir = mkdtempSync(path.join(tmpdir(), `idb-relay-${name}-`))
    return startCloud(
      loadConfig({
        env: {
          IDBRIDGE_DATA_DIR: dataDir,
          IDBRIDGE_HTTP_PORT: '0',
          DATABASE_URL: testDatabaseUrl,
          IDBRIDGE_DATABASE_SCHEMA: schema,
        },
      }),
      { agentHub: { nodeId: `node-${name}` } },
    )
  }

  before(async () => {
    const admin = new pg.Client({ connectionString: testDatabaseUrl })
    await admin.connect()
    await admin.query(`create schema ${schema}`)
    await admin.end()
    nodeA = await startNode('a')
    nodeB = await startNode('b')
    const dir = mkdtempSync(path.join(tmpdir(), 'idb-relay-agent-'))
    const ca = readFileSync(nodeA.certFile)
    const registered = await registerAgent({
      cloudUrl: nodeA.url,
      token: (await createRegistrationToken(nodeA.store, systemClock, nodeA.tenant.id)).token,
      ca: { pem: ca, file: nodeA.certFile },
      dir,
      eventLog: new MemoryEventLog(),
      host: 'relay-agent',
    })
    if (!registered.ok) throw registered.error
    channel = new WsAgentChannel({
      cloudUrl: nodeA.url,
      ca,
      loadIdentity: () => readAgentKeyFile(dir),
      eventLog: new MemoryEventLog(),
      heartbeatMs: 200,
    })
    channel.onRequest(PASSWORD_OPERATION_OP, async (body) => {
      const key = await readAgentKeyFile(dir)
      if (!key.ok) throw key.error
      const opened = openPasswordEnvelope(body, key.value, Date.now())
      if (!opened.ok) return opened
      const rows = await nodeA.store.writebackRequests.get(opened.value.trackingId)
      seenRows.push(rows?.envelope ?? null)
      if (behaviour === 'hang') return new Promise(() => undefined)
      if (behaviour === 'die') {
        // The agent goes away between receiving the request and answering it.
        void channel.close()
        return new Promise(() => undefined)
      }
      if (behaviour === 'policy') {
        return { ok: false, error: new IdbridgeError('IDB_ERR_WB_POLICY', { data: { eventId: 33008, rootCause: 'tooShort' } }) }
      }
      assert.equal(opened.value.password, PASSWORD)
      return {
        ok: true,
        value: {
          trackingId: opened.value.trackingId,
          operation: opened.value.operation,
          unlocked: true,
          historyEnforced: false,
          pwdLastSet: 'normal',
          domainController: 'ldaps://dc.test',
        },
      }
    })
    channel.start()
    assert.ok(await channel.whenOnline(10_000))
    // Node B finds the agent through the store, which node A updates just after the welcome.
    await waitFor('the agent online in the store', async () => {
      return (await nodeB.store.agents.list(nodeB.tenant.id))[0]?.state === 'online'
    })
  })

  after(async () => {
    await channel?.close()
    await nodeB?.close()
    await nodeA?.close()
    const admin = new pg.Client({ connectionString: testDatabaseUrl })
    await admin.connect()
    await admin.query(`drop schema if exists ${schema} cascade`)
    await admin.end()
  })

  it('completes a reset submitted on node B through the agent connected to node A', async () => {
    seenRows = []
    assert.equal(nodeB.agents.online(nodeB.tenant.id).length, 0, 'node B holds no agent socket')
    const result = await nodeB.relay.submit(nodeB.tenant.id, request(), { waitMs: 10_000 })
    assert.ok(result.ok, result.ok ? '' : result.error.message)
    assert.equal(result.value.unlocked, true)
    assert.equal(seenRows.length, 1)
    assert.ok(seenRows[0] && !seenRows[0].includes(PASSWORD), 'the store holds ciphertext only')
    assert.equal(await nodeB.store.writebackRequests.get(result.value.trackingId), undefined, 'nothing kept after')
  })

  it('completes locally on the node holding the socket, and carries the agent failure code and event', async () => {
    behaviour = 'policy'
    const result = await nodeA.relay.submit(nodeA.tenant.id, request(), { waitMs: 10_000 })
    behaviour = 'succeed'
    assert.ok(!result.ok)
    assert.equal(result.error.code, 'IDB_ERR_WB_POLICY')
    assert.equal(result.error.data?.eventId, 33008)
    assert.equal(result.error.data?.rootCause, 'tooShort')
  })

  it('answers a timeout, never a retry, when the agent does not reply', async () => {
    behaviour = 'hang'
    seenRows = []
    const result = await nodeB.relay.submit(nodeB.tenant.id, request(), { waitMs: 1500 })
    behaviour = 'succeed'
    assert.ok(!result.ok)
    assert.equal(result.error.code, 'IDB_ERR_AGENT_TIMEOUT')
    assert.equal(seenRows.length, 1, 'delivered exactly once')
  })

  it('reports an unknown outcome, not a retry, when the agent dies between receive and reply', async () => {
    behaviour = 'die'
    seenRows = []
    const result = await nodeB.relay.submit(nodeB.tenant.id, request(), { waitMs: 10_000 })
    behaviour = 'succeed'
    assert.ok(!result.ok)
    assert.equal(result.error.code, 'IDB_ERR_AGENT_OUTCOME_UNKNOWN')
    assert.equal(seenRows.length, 1, 'delivered exactly once')
  })

  it('fails at once with IDB_ERR_AGENT_OFFLINE when no agent is online', async () => {
    await channel.close()
    const started = Date.now()
    for (let i = 0; i < 100 && nodeA.agents.online(nodeA.tenant.id).length > 0; i++) {
      await new Promise((r) => setTimeout(r, 50))
    }
    await new Promise((r) => setTimeout(r, 200))
    const result = await nodeB.relay.submit(nodeB.tenant.id, request(), { waitMs: 10_000 })
    assert.ok(!result.ok)
    assert.equal(result.error.code, 'IDB_ERR_AGENT_OFFLINE')
    assert.ok(Date.now() - started < 8000)
  })
})
