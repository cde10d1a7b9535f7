/** @module The executor's logic against a fake directory: DC fail-over, lost answers, wiping, events. */
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { describe, test } from 'node:test'
import type { PasswordPackage } from '../../protocol/password-operation.ts'
import { ManualClock } from '../../time/clock.ts'
import { MemoryEventLog } from '../events/agent-event.ts'
import { type FakeUser, FakeWritebackDirectory, fakeFault } from './fake-writeback-directory.ts'
import { PasswordWritebackExecutor } from './password-writeback-executor.ts'
import { POLICY_HINTS_OID } from './policy-hints-control.ts'
import { defaultWritebackSettings } from './writeback-settings.ts'

const anchor = Buffer.alloc(16, 7).toString('base64')

function setup(users: Array<Partial<FakeUser>> = [{}]) {
  const directory = new FakeWritebackDirectory()
  users.forEach((fields, i) =>
    directory.users.push({
      dn: `CN=User ${i},OU=Synced,DC=contoso,DC=test`,
      samAccountName: `user${i}`,
      displayName: `User ${i}`,
      userAccountControl: 512,
      adminCount: 0,
      pwdLastSet: Date.UTC(2025, 11, 1),
      resultantPso: null,
      anchor,
      password: 'Old-Pass-1',
      locked: true,
      ...fields,
    }),
  )
  const eventLog = new MemoryEventLog()
  const executor = new PasswordWritebackExecutor({
    directory,
    eventLog,
    settings: defaultWritebackSettings,
    clock: new ManualClock(),
  })
  return { directory, eventLog, executor }
}

function pkg(fields: Partial<PasswordPackage> & Pick<PasswordPackage, 'operation'>): PasswordPackage {
  return {
    trackingId: randomUUID(),
    tenantId: 't1',
    agentId: randomUUID(),
    expiresAt: Date.UTC(2030, 0, 1),
    cloudAnchor: 'User_1',
    sourceAnchor: anchor,
    userPrincipalName: 'user0@contoso.test',
    unlockUser: true,
    forceChangePasswordNextLogon: false,
    ...fields,
  }
}

const change = (password: string, oldPassword: string) => pkg({ operation: 'change', password, oldPassword })

const ids = (log: MemoryEventLog) => log.events.map((e) => e.id)

describe('PasswordWritebackExecutor (fake directory)', () => {
  test('a preferred DC that is down is skipped; the result names the DC that took the write', async () => {
    const { directory, executor } = setup()
    directory.down.add('ldaps://dc1.test')
    const result = await executor.execute(pkg({ operation: 'reset', password: 'New-Pass-2' }))
    assert.ok(result.ok)
    assert.equal(result.value.domainController, 'ldaps://dc2.test')
    assert.equal(directory.users[0]!.password, 'New-Pass-2')
  })

  test('a DC that stops answering during the reads is left for the next one; nothing was written there', async () => {
    const { directory, executor, eventLog } = setup()
    directory.faults.set('ldaps://dc1.test findByAnchor', fakeFault('ldaps://dc1.test', { systemCode: 'ECONNRESET' }))
    const result = await executor.execute(pkg({ operation: 'reset', password: 'New-Pass-2' }))
    assert.ok(result.ok)
    assert.deepEqual(directory.writes.map((w) => w.dc), ['ldaps://dc2.test'])
    assert.deepEqual(ids(eventLog), [31001, 405, 403, 405, 403, 31002])
  })

  test('an answer lost after the write is sent is IDB_ERR_WB_OUTCOME_UNKNOWN and is not retried anywhere', async () => {
    const { directory, executor, eventLog } = setup()
    directory.faults.set('ldaps://dc1.test resetPassword', fakeFault('ldaps://dc1.test', { afterSend: true }))
    const result = await executor.execute(pkg({ operation: 'reset', password: 'New-Pass-2' }))
    assert.ok(!result.ok)
    assert.equal(result.error.code, 'IDB_ERR_WB_OUTCOME_UNKNOWN')
    assert.equal(result.error.data?.eventId, 32000)
    assert.equal(result.error.data?.dc, 'ldaps://dc1.test')
    assert.equal(directory.writes.length, 0, 'dc2 was never asked')
    assert.deepEqual(ids(eventLog), [31001, 405, 403, 32000, 31003])
  })

  test('no DC answers: IDB_ERR_WB_DC_UNAVAILABLE with the last DC and its socket error', async () => {
    const { directory, executor, eventLog } = setup()
    directory.down.add('ldaps://dc1.test').add('ldaps://dc2.test')
    const result = await executor.execute(change('New-Pass-2', 'Old-Pass-1'))
    assert.ok(!result.ok)
    assert.equal(result.error.code, 'IDB_ERR_WB_DC_UNAVAILABLE')
    const { eventId, dc, systemCode, ldapResultCode } = result.error.data ?? {}
    assert.deepEqual([eventId, dc, systemCode, ldapResultCode], [33001, 'ldaps://dc2.test', 'ECONNREFUSED', null])
    assert.deepEqual(ids(eventLog), [31006, 33001, 31008])
  })

  test('two users with one anchor: 33003, nothing written', async () => {
    const { directory, executor } = setup([{}, {}])
    const result = await executor.execute(pkg({ operation: 'reset', password: 'New-Pass-2' }))
    assert.ok(!result.ok)
    const { eventId, matches } = result.error.data ?? {}
    assert.deepEqual([result.error.code, eventId, matches], ['IDB_ERR_WB_MULTIPLE_MATCHES', 33003, 2])
    assert.equal(directory.writes.length, 0)
  })

  test('the UTF-16 password buffers are wiped once the write is done', async () => {
    const { directory, executor } = setup()
    assert.ok((await executor.execute(pkg({ operation: 'reset', password: 'New-Pass-2' }))).ok)
    assert.ok((await executor.execute(change('New-Pass-3', 'New-Pass-2'))).ok)
    assert.equal(directory.passwordBuffers.length, 3)
    for (const buffer of directory.passwordBuffers) assert.ok(buffer.every((b) => b === 0))
  })

  test('a DC advertising policy hints gets the control, and the result says history was enforced', async () => {
    const { directory, executor } = setup()
    directory.hintsOid = POLICY_HINTS_OID
    const mustChange = { password: 'New-Pass-2', forceChangePasswordNextLogon: true }
    const result = await executor.execute(pkg({ operation: 'adminReset', ...mustChange }))
    assert.ok(result.ok)
    assert.equal(result.value.historyEnforced, true)
    assert.deepEqual(directory.writes[0], {
      dc: 'ldaps://dc1.test',
      method: 'resetPassword',
      dn: directory.users[0]!.dn,
      state: { unlock: true, pwdLastSet: '0' },
      hints: POLICY_HINTS_OID,
    })
  })

  test('a change whose unlock write fails still reports the change, with a warning event', async () => {
    const { directory, executor, eventLog } = setup()
    const denied = fakeFault('ldaps://dc1.test', { ldapResultCode: 50, diagnostic: 'no write property access' })
    directory.faults.set('ldaps://dc1.test writeState', denied)
    const result = await executor.execute(change('New-Pass-2', 'Old-Pass-1'))
    assert.ok(result.ok)
    assert.deepEqual([result.value.unlocked, result.value.historyEnforced], [false, true])
    assert.deepEqual(ids(eventLog), [31006, 405, 403, 33001, 31007])
    assert.equal(eventLog.events[3]!.level, 'warning')
  })

  test('a change with a wrong old password never clears the lockout', async () => {
    const { directory, executor } = setup()
    const result = await executor.execute(change('New-Pass-2', 'Guess-1'))
    assert.ok(!result.ok)
    assert.equal(result.error.code, 'IDB_ERR_WB_INCORRECT_PASSWORD')
    assert.equal(directory.users[0]!.locked, true)
  })

  test('verify is quiet when it works or the password is wrong, and logs a DC failure', async () => {
    const { directory, executor, eventLog } = setup()
    assert.ok((await executor.execute(pkg({ operation: 'verify', password: 'Old-Pass-1' }))).ok)
    const wrong = await executor.execute(pkg({ operation: 'verify', password: 'nope' }))
    assert.equal(wrong.ok ? '' : wrong.error.code, 'IDB_ERR_WB_INCORRECT_PASSWORD')
    assert.deepEqual(ids(eventLog), [])
    directory.down.add('ldaps://dc1.test').add('ldaps://dc2.test')
    const down = await executor.execute(pkg({ operation: 'verify', password: 'Old-Pass-1' }))
    assert.equal(down.ok ? '' : down.error.code, 'IDB_ERR_WB_DC_UNAVAILABLE')
    assert.deepEqual(ids(eventLog), [33001])
  })

  test('a package without the password its operation needs is 32003', async () => {
    const { executor, directory } = setup()
    const result = await executor.execute(pkg({ operation: 'change', password: 'New-Pass-2' }))
    assert.ok(!result.ok)
    assert.deepEqual([result.error.code, result.error.data?.eventId], ['IDB_ERR_WB_INVALID_REQUEST', 32003])
    assert.equal(directory.writes.length, 0)
  })
})
