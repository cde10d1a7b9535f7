/** @module Fault: Samba stopped in the middle of a reset, then started again, under a running agent. */
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { after, before, describe, it } from 'node:test'
import { Client } from 'ldapts'
import { addSyncedUser, portalPasswords } from '../../cloud/sspr/sspr-test-support.ts'
import { labDown, labReset, labUp } from '../../lab/lab.ts'
import type { LabInfo, LabUser } from '../../lab/lab-info.ts'
import { repoRoot } from '../../lab/lab-paths.ts'
import { kinit } from '../../lab/lab-test-clients.ts'
import { PASSWORD_OPERATION_OP } from '../../protocol/password-operation.ts'
import type { User } from '../../store/store-records.ts'
import { type ChannelCloud, startChannelCloud, type TestAgent } from '../channel/channel-test-support.ts'
import type { WsAgentChannel } from '../channel/ws-agent-channel.ts'
import { agentPasswordHandler } from './fake-ad-writeback.ts'
import { LdapWritebackDirectory } from './ldap-writeback-directory.ts'
import type { WritebackDirectory, WritebackSession } from './writeback-directory.ts'
import { strongPassword } from './writeback-test-lab.ts'

/** A lab of this file's own: stopping the shared one would break every other test file. */
const FAULT_LAB = { dir: path.join(repoRoot, 'var', 'lab-fault'), address: '127.0.0.50' }

/** The real LDAP directory, except that it can stop Samba right before the next password write. */
function stoppableDirectory(real: WritebackDirectory): WritebackDirectory & { stopBeforeNextWrite(): void } {
  let armed = false
  return {
    domainName: real.domainName,
    stopBeforeNextWrite: () => (armed = true),
    async open(skip) {
      const opened = await real.open(skip)
      if (!opened.ok) return opened
      const session = opened.value
      const stopThenReset: WritebackSession['resetPassword'] = async (...args) => {
        if (armed) {
          armed = false
          await labDown({ dir: FAULT_LAB.dir })
        }
        return session.resetPassword(...args)
      }
      // Bound to the session: its methods use private fields, which a proxy receiver would lose.
      const value = new Proxy(session, {
        get: (target, key) => {
          if (key === 'resetPassword') return stopThenReset
          const member: unknown = Reflect.get(target, key, target)
          return typeof member === 'function' ? member.bind(target) : member
        },
      })
      return { ok: true, value }
    },
  }
}

describe('Samba stopped mid-reset and started again', () => {
  let lab: LabInfo
  let env: ChannelCloud
  let agent: TestAgent
  let channel: WsAgentChannel
  let directory: ReturnType<typeof stoppableDirectory>
  let adUser: LabUser
  let user: User

  before(async () => {
    lab = await labReset(FAULT_LAB)
    adUser = lab.users.find((u) => u.role === 'demo' && u.inSyncScope)!
    const admin = new Client({ url: lab.ldapUrl, tlsOptions: { ca: readFileSync(lab.caCertPath) } })
    await admin.bind(lab.admin.dn, lab.admin.password)
    const { searchEntries } = await admin.search(adUser.dn, {
      scope: 'base',
      attributes: ['objectGUID'],
      explicitBufferAttributes: ['objectGUID'],
    })
    await admin.unbind()
    env = await startChannelCloud()
    agent = await env.register()
    user = await addSyncedUser(env.cloud, (searchEntries[0]!.objectGUID as Buffer).toString('base64'))
    directory = stoppableDirectory(
      new LdapWritebackDirectory({
        domainControllers: [lab.ldapUrl],
        baseDn: lab.baseDn,
        bindDn: lab.connector.dn,
        bindPassword: lab.connector.password,
        caCert: readFileSync(lab.caCertPath),
        scope: { ous: [lab.scope.syncOu] },
        eventLog: agent.events,
        timeouts: { connectMs: 3000, operationMs: 10_000 },
      }),
    )
    channel = env.connect(agent)
    channel.onRequest(PASSWORD_OPERATION_OP, agentPasswordHandler(agent, directory))
    assert.ok(await channel.whenOnline(5000))
  })

  after(async () => {
    await env?.close()
    await labDown({ dir: FAULT_LAB.dir })
  })

  /** One SSPR reset step: what the result page shows, and the agent events it caused. */
  const reset = async () => {
    const since = agent.events.events.length
    const password = strongPassword()
    const actor = { name: user.userPrincipalName, correlationId: randomUUID() }
    const result = await portalPasswords(env.cloud, 20_000).resetBySelf(env.cloud.tenant, user, password, actor)
    const shown = result.ok
      ? 'ok'
      : `${result.error.code} (${String(result.error.data?.agentCode)}, event ${String(result.error.data?.eventId)})`
    return { password, shown, events: agent.events.events.slice(since).map((e) => e.id) }
  }
  const signsIn = async (password: string) => (await kinit(lab, adUser.username, password)).code === 0

  it('says "DC unavailable" while Samba is down, writes nothing, and resets again once it is back', async () => {
    const first = await reset()
    assert.equal(first.shown, 'ok')

    directory.stopBeforeNextWrite()
    const cut = await reset()
    // Bound and read, then the write found the connection gone: nothing was sent, so "unavailable".
    assert.equal(cut.shown, 'SSPR_0030 (IDB_ERR_WB_DC_UNAVAILABLE, event 33001)')
    assert.deepEqual(cut.events, [31001, 405, 403, 33001, 31003])
    const down = await reset()
    assert.equal(down.shown, 'SSPR_0030 (IDB_ERR_WB_DC_UNAVAILABLE, event 33001)')
    assert.deepEqual(down.events, [31001, 616, 33001, 31003], 'event 616 names the preferred DC that refused')
    assert.equal(channel.state, 'online', 'the tenant link never noticed')

    await labUp(FAULT_LAB)
    assert.ok(await signsIn(first.password), 'the last reset that succeeded is what AD holds')
    assert.ok(!(await signsIn(cut.password)), 'nothing of the interrupted reset was written')
    const again = await reset()
    assert.equal(again.shown, 'ok', 'no agent restart needed')
    assert.ok(await signsIn(again.password))
  })
})
