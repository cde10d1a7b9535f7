/** @module Fault: PostgreSQL restarted under load, with two tenant nodes relaying resets through LISTEN/NOTIFY. */
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { after, before, describe, it } from 'node:test'
import { connectTestAgent, registerTestAgent, waitFor } from '../../agent/channel/channel-test-support.ts'
import type { WsAgentChannel } from '../../agent/channel/ws-agent-channel.ts'
import { type FakeAdWriteback, fakeAdWriteback } from '../../agent/writeback/fake-ad-writeback.ts'
import { strongPassword } from '../../agent/writeback/writeback-test-lab.ts'
import { loadConfig } from '../../config/load-config.ts'
import { PASSWORD_OPERATION_OP } from '../../protocol/password-operation.ts'
import { PrivatePostgres } from '../../store/private-postgres.ts'
import { storeFault } from '../../store/store-fault.ts'
import type { User } from '../../store/store-records.ts'
import { addSyncedUser, portalPasswords } from '../sspr/sspr-test-support.ts'
import { type RunningCloud, startCloud } from '../start-cloud.ts'

/** What a reset step showed the user; a throw is shown as the web layer would map it. */
interface Outcome {
  readonly password: string
  readonly shown: string
  readonly after: boolean
}

/**
 * What the user saw, as `CODE (agent code)`, or `CODE (page)` when the step threw and the web
 * layer showed the code's page. These say nothing was sent, so AD must not hold the password.
 */
const NOT_SENT = [
  'SSPR_0029 (IDB_ERR_AGENT_OFFLINE)',
  'IDB_ERR_STORE_UNAVAILABLE (IDB_ERR_STORE_UNAVAILABLE)',
  'IDB_ERR_STORE_UNAVAILABLE (page)',
]

describe('PostgreSQL restarted while two tenant nodes relay resets', () => {
  let pg: PrivatePostgres
  let nodeA: RunningCloud
  let nodeB: RunningCloud
  let channel: WsAgentChannel
  let ad: FakeAdWriteback
  let user: User

  const startNode = (name: string) =>
    startCloud(
      loadConfig({
        env: {
          IDBRIDGE_DATA_DIR: mkdtempSync(path.join(tmpdir(), `idb-pgfault-${name}-`)),
          IDBRIDGE_HTTP_PORT: '0',
          DATABASE_URL: pg.url,
        },
      }),
      { agentHub: { nodeId: `node-${name}` } },
    )

  before(async () => {
    pg = await PrivatePostgres.start()
    nodeA = await startNode('a')
    nodeB = await startNode('b')
    const ca = readFileSync(nodeA.certFile)
    const agent = await registerTestAgent(nodeA, ca, 'pg-fault-agent')
    ad = fakeAdWriteback(agent)
    user = await addSyncedUser(nodeB, ad.addUser())
    channel = connectTestAgent(agent, ca)
    channel.onRequest(PASSWORD_OPERATION_OP, ad.handler)
    assert.ok(await channel.whenOnline(5000))
    await waitFor('the agent online in the store', async () => {
      return (await nodeB.store.agents.list(nodeB.tenant.id))[0]?.state === 'online'
    })
  })

  after(async () => {
    await channel?.close()
    await nodeB?.close()
    await nodeA?.close()
    await pg?.stop()
  })

  it('gives every reset a clear status meanwhile, applies none twice, and relays again after it', async () => {
    // Node B holds no agent: each reset goes to node A through a NOTIFY, so LISTEN must come back.
    const passwords = portalPasswords(nodeB, 3000)
    const outcomes: Outcome[] = []
    let restarted = false
    const resetOnce = async (): Promise<Outcome> => {
      const password = strongPassword()
      const after = restarted
      try {
        const actor = { name: user.userPrincipalName, correlationId: randomUUID() }
        const result = await passwords.resetBySelf(nodeB.tenant, user, password, actor)
        const shown = result.ok ? 'ok' : `${result.error.code} (${String(result.error.data?.agentCode)})`
        return { password, shown, after }
      } catch (error) {
        const known = storeFault(error)
        return { password, shown: known ? `${known.code} (page)` : `threw ${String(error)}`, after }
      }
    }
    const recovered = () => {
      const since = outcomes.filter((o) => o.after)
      return since.length >= 3 && since.slice(-3).every((o) => o.shown === 'ok')
    }
    const load = async () => {
      const deadline = Date.now() + 20_000
      while (Date.now() < deadline && !recovered()) {
        const outcome = await resetOnce()
        outcomes.push(outcome)
        await new Promise((r) => setTimeout(r, outcome.shown === 'ok' ? 10 : 100))
      }
    }
    const loads = [load(), load()]
    await waitFor('some resets before the restart', () => outcomes.filter((o) => o.shown === 'ok').length >= 4)
    await pg.down()
    await new Promise((r) => setTimeout(r, 1000))
    await pg.up()
    restarted = true
    await Promise.all(loads)

    // Shown with every failure: how many resets ended how, and whether AD holds their password.
    const tally = new Map<string, number>()
    for (const o of outcomes) {
      const key = `${o.shown}${o.after ? ' after the restart' : ''}, in AD: ${ad.written.includes(o.password)}`
      tally.set(key, (tally.get(key) ?? 0) + 1)
    }
    const seen = JSON.stringify([...tally])
    const unknown = ['SSPR_0030 (IDB_ERR_AGENT_TIMEOUT)', 'SSPR_OUTCOME_UNKNOWN (IDB_ERR_AGENT_OUTCOME_UNKNOWN)']
    const clear = ['ok', ...unknown, ...NOT_SENT]
    for (const o of outcomes) assert.ok(clear.includes(o.shown), `a reset ended with "${o.shown}": ${seen}`)
    assert.ok(recovered(), `three resets in a row relayed through node A after the restart: ${seen}`)
    // The agent never went away: once the database is back, even a reset whose wake-up went out
    // before node A listened again must get through, not end as "agent offline".
    const afterRestart = outcomes.filter((o) => o.after)
    assert.ok(afterRestart.every((o) => o.shown === 'ok'), `every reset after the restart succeeded: ${seen}`)

    assert.equal(new Set(ad.written).size, ad.written.length, `no password was applied twice: ${seen}`)
    for (const o of outcomes) {
      if (o.shown === 'ok') assert.ok(ad.written.includes(o.password), `a reset reported done is in AD: ${seen}`)
      if (NOT_SENT.includes(o.shown)) assert.ok(!ad.written.includes(o.password), `"${o.shown}" but AD has it: ${seen}`)
    }
  })
})
