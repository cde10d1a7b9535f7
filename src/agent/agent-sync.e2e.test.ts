import assert from 'node:assert/strict'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { after, before, describe, it } from 'node:test'
import { prepareLabAgent } from '../cli/demo-agent.ts'
import { callCloud } from '../cloud/https-test-client.ts'
import { type RunningCloud, startCloud } from '../cloud/start-cloud.ts'
import { loadConfig } from '../config/load-config.ts'
import type { User } from '../store/store-records.ts'
import { ConnectorTestLab } from './directory/connector-test-lab.ts'
import { type RunningAgent, startAgent } from './start-agent.ts'
import { eventually } from '../lab/eventually.ts'

describe('directory sync from the Samba lab to the tenant, through a registered agent', () => {
  let lab: ConnectorTestLab
  let cloud: RunningCloud
  let agent: RunningAgent
  const agentDir = mkdtempSync(path.join(tmpdir(), 'idb-agent-e2e-'))

  before(async () => {
    lab = await ConnectorTestLab.open()
    const dataDir = mkdtempSync(path.join(tmpdir(), 'idb-cloud-e2e-'))
    const configFile = path.join(dataDir, 'idbridge.config.json')
    writeFileSync(configFile, JSON.stringify({ dataDir, http: { port: 0 }, sync: { deleteThreshold: 2 } }))
    cloud = await startCloud(loadConfig({ file: configFile, env: {} }))
    await prepareLabAgent(cloud, lab.lab, agentDir, { sync: { deltaIntervalSeconds: 10, presenceCheckSeconds: 0 } })
    agent = await startAgent(agentDir)
    const first = await agent.firstRun
    assert.equal(first?.kind, 'full')
  })

  after(async () => {
    await agent?.stop()
    await cloud?.close()
    await lab?.cleanup()
  })

  const tenantUser = (upn: string): Promise<User | undefined> => cloud.store.users.getByUserPrincipalName(cloud.tenant.id, upn)

  it('imports every user in scope, with attributes and flags, and none outside it', async () => {
    for (const user of lab.lab.users) {
      const synced = await tenantUser(user.userPrincipalName)
      assert.equal(Boolean(synced), user.inSyncScope, `${user.username} in scope: ${user.inSyncScope}`)
      if (!synced) continue
      assert.equal(synced.onPremises?.syncEnabled, true)
      assert.equal(synced.onPremises?.samAccountName, user.username)
      assert.equal(synced.givenName, user.givenName)
      assert.equal(synced.mail, user.mail)
    }
    const admin = lab.lab.users.find((u) => u.role === 'protectedAdmin')
    const former = lab.lab.users.find((u) => u.role === 'formerAdmin')
    assert.equal((await tenantUser(admin?.userPrincipalName ?? ''))?.onPremises?.state?.protected, true)
    assert.equal((await tenantUser(former?.userPrincipalName ?? ''))?.onPremises?.state?.protected, true)
    const runs = await cloud.store.syncRuns.list(cloud.tenant.id, 5)
    assert.equal(runs.at(-1)?.kind, 'full')
    assert.ok((runs.at(-1)?.created ?? 0) >= lab.lab.users.filter((u) => u.inSyncScope).length)
  })

  it('ships the agent event log to the tenant', async () => {
    const shipped = await eventually('shipped sync events', async () => {
      const events = await cloud.store.agentEvents.list(cloud.tenant.id, { agentId: agent.agentId, eventId: 9501, limit: 10 })
      return events.length > 0 && events
    })
    assert.match(shipped[0]?.message ?? '', /Directory sync full import completed/)
    const res = await callCloud(cloud, `/api/v1/agents/events?agentId=${agent.agentId}&id=9501`, {
      headers: { authorization: `Bearer ${cloud.created?.firstAdmin.apiToken}` },
    })
    assert.equal(res.status, 200)
    assert.equal(JSON.parse(res.body).events[0].eventId, 9501)
  })

  it('brings an attribute change in AD to the tenant within seconds', async () => {
    const dn = await lab.addUser('Delta Dora')
    const upn = `ct-deltadora@${lab.lab.dnsDomain}`
    await eventually('the new user', () => tenantUser(upn))
    const started = Date.now()
    await lab.set(dn, 'displayName', 'Dora Changed')
    await eventually('the changed display name', async () => (await tenantUser(upn))?.displayName === 'Dora Changed')
    assert.ok(Date.now() - started < 15_000)
  })

  it('deletes a user moved out of scope, and a user deleted in AD', async () => {
    const moved = await lab.addUser('Moving Mo')
    const gone = await lab.addUser('Gone Gus')
    await eventually('both users', async () => (await tenantUser(`ct-movingmo@${lab.lab.dnsDomain}`)) && (await tenantUser(`ct-gonegus@${lab.lab.dnsDomain}`)))
    await lab.admin.modifyDN(moved, `CN=Moving Mo,${lab.outOu}`)
    await lab.admin.del(gone)
    await eventually('the moved user to go', async () => !(await tenantUser(`ct-movingmo@${lab.lab.dnsDomain}`)))
    await eventually('the deleted user to go', async () => !(await tenantUser(`ct-gonegus@${lab.lab.dnsDomain}`)))
  })

  it('holds back a mass delete over the threshold until an admin confirms it', async () => {
    const dns = [await lab.addUser('Mass One'), await lab.addUser('Mass Two'), await lab.addUser('Mass Three')]
    const upns = ['massone', 'masstwo', 'massthree'].map((n) => `ct-${n}@${lab.lab.dnsDomain}`)
    await eventually('the three users', async () => (await Promise.all(upns.map(tenantUser))).every(Boolean))
    for (const dn of dns) await lab.admin.del(dn)
    const waiting = await eventually('a run waiting for confirmation', async () =>
      (await cloud.store.syncRuns.list(cloud.tenant.id, 10)).find((r) => r.status === 'awaiting-delete-confirmation'),
    )
    assert.deepEqual(waiting.pendingDeletes.map((d) => d.userPrincipalName).sort(), [...upns].sort())
    assert.ok((await Promise.all(upns.map(tenantUser))).every(Boolean), 'nothing deleted before confirmation')
    const token = cloud.created?.firstAdmin.apiToken ?? ''
    const res = await callCloud(cloud, `/api/v1/sync/runs/${waiting.id}/confirm-deletes`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
    })
    assert.equal(res.status, 200, res.body)
    assert.equal(JSON.parse(res.body).deleted, 3)
    assert.ok((await Promise.all(upns.map(tenantUser))).every((u) => u === undefined))
  })
})
