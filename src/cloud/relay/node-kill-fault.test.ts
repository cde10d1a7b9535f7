/** @module Fault: a tenant node SIGKILLed while a reset it relays is in flight at the agent. */
import assert from 'node:assert/strict'
import { randomBytes, randomUUID } from 'node:crypto'
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { after, before, describe, it } from 'node:test'
import pg from 'pg'
import { connectTestAgent, registerTestAgent, waitFor } from '../../agent/channel/channel-test-support.ts'
import { TcpFaultProxy } from '../../agent/channel/tcp-fault-proxy.ts'
import type { WsAgentChannel } from '../../agent/channel/ws-agent-channel.ts'
import { type FakeAdWriteback, fakeAdWriteback } from '../../agent/writeback/fake-ad-writeback.ts'
import { strongPassword } from '../../agent/writeback/writeback-test-lab.ts'
import { loadConfig } from '../../config/load-config.ts'
import { PASSWORD_OPERATION_OP } from '../../protocol/password-operation.ts'
import type { User } from '../../store/store-records.ts'
import { testDatabaseUrl } from '../../store/store-test-backends.ts'
import { callCloud } from '../https-test-client.ts'
import { addSyncedUser, portalPasswords } from '../sspr/sspr-test-support.ts'
import { type RunningCloud, startCloud } from '../start-cloud.ts'
import { startTenantNodeProcess, type TenantNodeProcess } from './tenant-node-process.ts'

/** How long the portal waits for AD; a request must end well before it when its node dies. */
const WAIT_MS = 8000

async function admin(statement: string, values: unknown[] = []): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: testDatabaseUrl })
  await client.connect()
  try {
    return await client.query(statement, values)
  } finally {
    await client.end()
  }
}

describe('a tenant node killed while requests are in flight', () => {
  const schema = `idb_kill_${randomBytes(5).toString('hex')}`
  let balancer: TcpFaultProxy
  let nodeA: TenantNodeProcess
  let nodeB: RunningCloud
  let channel: WsAgentChannel
  let ad: FakeAdWriteback
  let user: User

  const reset = async () => {
    const password = strongPassword()
    const actor = { name: user.userPrincipalName, correlationId: randomUUID() }
    const started = Date.now()
    const result = await portalPasswords(nodeB, WAIT_MS).resetBySelf(nodeB.tenant, user, password, actor)
    const shown = result.ok ? 'ok' : `${result.error.code} (${String(result.error.data?.agentCode)})`
    return { password, shown, waitedMs: Date.now() - started }
  }

  before(async () => {
    await admin(`create schema ${schema}`)
    // The load balancer in front of both nodes: new connections go to the first node that accepts.
    balancer = await TcpFaultProxy.start([])
    const env = { IDBRIDGE_HTTP_PORT: '0', DATABASE_URL: testDatabaseUrl, IDBRIDGE_DATABASE_SCHEMA: schema }
    const dataDir = mkdtempSync(path.join(tmpdir(), 'idb-kill-b-'))
    nodeB = await startCloud(loadConfig({ env: { ...env, IDBRIDGE_DATA_DIR: dataDir } }), {
      agentHub: { nodeId: 'node-b' },
    })
    nodeB.agents.allowOrigins([balancer.url])
    nodeA = await startTenantNodeProcess({
      databaseUrl: testDatabaseUrl,
      schema,
      publicUrl: balancer.url,
      certFile: nodeB.certFile,
      keyFile: path.join(path.dirname(nodeB.certFile), 'cloud-key.pem'),
    })
    balancer.upstreams = [nodeA.port, Number(new URL(nodeB.url).port)]
    const ca = readFileSync(nodeB.certFile)
    const agent = await registerTestAgent(nodeB, ca, 'kill-fault-agent')
    ad = fakeAdWriteback(agent)
    user = await addSyncedUser(nodeB, ad.addUser())
    channel = connectTestAgent(agent, ca, { cloudUrl: balancer.url })
    channel.onRequest(PASSWORD_OPERATION_OP, ad.handler)
    assert.ok(await channel.whenOnline(10_000))
    await waitFor('the agent online at node A in the store', async () => {
      const [stored] = await nodeB.store.agents.list(nodeB.tenant.id)
      return stored?.state === 'online' && stored.connectedNode !== 'node-b'
    })
  })

  after(async () => {
    await channel?.close()
    await nodeA?.kill()
    await nodeB?.close()
    await balancer?.stop()
    await admin(`drop schema if exists ${schema} cascade`)
  })

  it('ends the relayed reset with a definite status, applies it once, and serves on through the live node', async () => {
    assert.equal((await reset()).shown, 'ok', 'node B relays to the agent on node A')

    ad.hold()
    const inFlight = reset()
    await ad.held()
    // A second wake-up for the request node A is running, as a re-publish racing its claim sends:
    // the claim must refuse it, so that the agent is not asked twice.
    const dispatched = await admin(`select id from ${schema}.writeback_requests where status = 'dispatched'`)
    assert.equal(dispatched.rows.length, 1)
    const wakeUp = JSON.stringify(['writeback.request', dispatched.rows[0].id])
    await admin('select pg_notify($1, $2)', [`idbridge_${schema}`, wakeUp])
    await new Promise((resolve) => setTimeout(resolve, 300))
    await nodeA.kill()
    await waitFor('the agent back online, at node B', () => nodeB.agents.online(nodeB.tenant.id).length === 1, 10_000)
    // The agent finishes the write it had started; its answer has nowhere to go.
    ad.release()
    const lost = await inFlight
    assert.equal(lost.shown, 'SSPR_OUTCOME_UNKNOWN (IDB_ERR_AGENT_OUTCOME_UNKNOWN)')
    assert.ok(lost.waitedMs < WAIT_MS - 2000, `the user waited ${lost.waitedMs} ms for a node that was gone`)

    assert.equal((await callCloud(nodeB, '/healthz')).status, 200, 'node B still answers')
    const next = await reset()
    assert.equal(next.shown, 'ok', 'the next reset works through the agent now at node B')
    assert.equal(channel.session?.node, 'node-b')
    assert.deepEqual(
      ad.written.filter((p) => p === lost.password || p === next.password),
      [lost.password, next.password],
      'the held write landed once (the relay never retried it) and the next one too',
    )
  })
})
