/** @module What writeback refuses on the Samba lab, and how: protected users, rights, missing users, verify, DCs. */
import assert from 'node:assert/strict'
import { after, beforeEach, describe, test } from 'node:test'
import { kinit } from '../../lab/lab-test-clients.ts'
import {
  eventIds,
  expectFailure,
  expectOk,
  strongPassword,
  type WritebackTestLab,
  writebackTestFixture,
} from './writeback-test-lab.ts'

let w: WritebackTestLab

describe('password writeback refusals (Samba lab)', () => {
  const fixture = writebackTestFixture()
  beforeEach(async () => {
    w = await fixture.get()
  })
  after(() => fixture.cleanup())

  test('protected accounts: reset and unlock are refused, a change with the old password works', async () => {
    const nested = await w.addUser()
    const former = await w.addUser()
    await w.t.set(former.dn, 'adminCount', '1')
    const group = await w.t.addGroup(`wb-admins-${nested.sam.slice(-6)}`, [nested.dn])
    const domainAdmins = `CN=Domain Admins,CN=Users,${w.t.lab.baseDn}`
    await w.t.admin.modify(domainAdmins, [w.t.add('member', group)])
    try {
      const { run, eventLog } = w.handler()
      const reset = expectFailure(await run(w.envelope(nested, { operation: 'reset', password: strongPassword() })))
      assert.equal(reset.code, 'IDB_ERR_WB_PROTECTED_ACCOUNT')
      assert.deepEqual([reset.data?.eventId, reset.data?.reason], [33004, 'protectedGroup'])
      const unlock = expectFailure(await run(w.envelope(former, { operation: 'unlock' })))
      assert.deepEqual([unlock.code, unlock.data?.reason], ['IDB_ERR_WB_PROTECTED_ACCOUNT', 'adminCount'])
      const password = strongPassword()
      expectOk(await run(w.envelope(nested, { operation: 'change', password, oldPassword: nested.password })))
      assert.equal((await kinit(w.t.lab, nested.sam, password)).code, 0)
      const refusals = eventLog.events.filter((e) => e.id === 33004)
      assert.match(refusals[0]!.message, /management agent credentials were denied access/)
    } finally {
      await w.t.removeMember(domainAdmins, group)
    }
  })

  test('a member of Schema Admins (a domain RID, outside builtin Administrators) is protected too', async () => {
    const user = await w.addUser()
    const schemaAdmins = `CN=Schema Admins,CN=Users,${w.t.lab.baseDn}`
    await w.t.admin.modify(schemaAdmins, [w.t.add('member', user.dn)])
    try {
      const { run } = w.handler()
      const adminReset = { operation: 'adminReset', password: strongPassword() } as const
      const refused = expectFailure(await run(w.envelope(user, adminReset)))
      assert.deepEqual([refused.code, refused.data?.reason], ['IDB_ERR_WB_PROTECTED_ACCOUNT', 'protectedGroup'])
    } finally {
      await w.t.removeMember(schemaAdmins, user.dn)
    }
  })

  test('the lab protected admin (AdminSDHolder DACL) is refused before any write', async () => {
    const admin = w.t.lab.users.find((u) => u.role === 'protectedAdmin')!
    const { run } = w.handler()
    const anchor = await w.t.objectGuid(admin.dn)
    const refused = expectFailure(await run(w.envelope({ anchor }, { operation: 'reset', password: strongPassword() })))
    assert.equal(refused.code, 'IDB_ERR_WB_PROTECTED_ACCOUNT')
    assert.equal((await kinit(w.t.lab, admin.username, admin.password)).code, 0)
  })

  test('a connector without Reset Password gets 33004 access denied with LDAP 50', async () => {
    const user = await w.addUser()
    const { run } = w.handler({ account: 'limitedConnector' })
    const denied = expectFailure(await run(w.envelope(user, { operation: 'reset', password: strongPassword() })))
    assert.equal(denied.code, 'IDB_ERR_WB_ACCESS_DENIED')
    assert.deepEqual([denied.data?.eventId, denied.data?.ldapResultCode, denied.data?.dc], [33004, 50, w.t.lab.ldapUrl])
    assert.equal((await kinit(w.t.lab, user.sam, user.password)).code, 0)
  })

  test('a deleted user is 33002; a malformed anchor never reaches a filter', async () => {
    const user = await w.addUser()
    await w.t.admin.del(user.dn)
    const { run, eventLog } = w.handler()
    const gone = expectFailure(await run(w.envelope(user, { operation: 'reset', password: strongPassword() })))
    assert.deepEqual([gone.code, gone.data?.eventId], ['IDB_ERR_WB_USER_NOT_FOUND', 33002])
    const event = eventLog.events.find((e) => e.id === 33002)!
    assert.match(event.message, /The operation failed because the object could not be found\./)
    const reset = { operation: 'reset', password: strongPassword() } as const
    const hostile = expectFailure(await run(w.envelope({ anchor: '*)(objectClass=*' }, reset)))
    assert.equal(hostile.code, 'IDB_ERR_WB_USER_NOT_FOUND')
  })

  test('verify binds as the user and writes nothing; disabled and wrong passwords are told apart', async () => {
    const user = await w.addUser()
    const disabled = await w.addUser({ uac: 0x2 })
    const { run, eventLog } = w.handler()
    const before = await w.read(user.dn, ['pwdLastSet', 'uSNChanged'])
    const ok = expectOk(await run(w.envelope(user, { operation: 'verify', password: user.password })))
    assert.deepEqual([ok.operation, ok.unlocked, ok.pwdLastSet], ['verify', false, 'unchanged'])
    const wrong = expectFailure(await run(w.envelope(user, { operation: 'verify', password: 'Wrong-Pass-1' })))
    assert.equal(wrong.code, 'IDB_ERR_WB_INCORRECT_PASSWORD')
    const off = expectFailure(await run(w.envelope(disabled, { operation: 'verify', password: disabled.password })))
    assert.equal(off.code, 'IDB_ERR_WB_ACCOUNT_DISABLED')
    assert.equal((await w.read(user.dn, ['pwdLastSet'])).pwdLastSet, before.pwdLastSet)
    assert.deepEqual(eventIds(eventLog), [], 'verify is quiet unless the DC fails')
  })

  test('a change of a disabled account is 33005; a reset of it is allowed', async () => {
    const user = await w.addUser({ uac: 0x2 })
    const { run } = w.handler()
    const changeIt = { operation: 'change', password: strongPassword(), oldPassword: user.password } as const
    const change = expectFailure(await run(w.envelope(user, changeIt)))
    assert.deepEqual([change.code, change.data?.eventId], ['IDB_ERR_WB_ACCOUNT_DISABLED', 33005])
    expectOk(await run(w.envelope(user, { operation: 'reset', password: strongPassword() })))
  })

  test('withoutPolicyHints "refuse": event 6329 and nothing written, since Samba lacks the control', async () => {
    const user = await w.addUser()
    const { run, eventLog } = w.handler({ settings: { withoutPolicyHints: 'refuse' } })
    const refused = expectFailure(await run(w.envelope(user, { operation: 'reset', password: strongPassword() })))
    assert.deepEqual([refused.code, refused.data?.eventId], ['IDB_ERR_WB_NO_POLICY_CONTROL', 6329])
    const event = eventLog.events.find((e) => e.id === 6329)!
    assert.equal(event.source, 'ADSync')
    assert.match(event.message, /The server doesn't contain the LDAP password policy control\./)
    assert.equal((await kinit(w.t.lab, user.sam, user.password)).code, 0)
  })

  test('a tampered envelope is 32004 and never reaches AD', async () => {
    const user = await w.addUser()
    const { run, eventLog } = w.handler()
    const envelope = w.envelope(user, { operation: 'reset', password: strongPassword() })
    const tag = Buffer.from(envelope.tag, 'base64')
    tag[0]! ^= 0xff
    const refused = expectFailure(await run({ ...envelope, tag: tag.toString('base64') }))
    assert.deepEqual([refused.code, refused.data?.eventId], ['IDB_ERR_WB_DECRYPTION', 32004])
    assert.deepEqual(eventIds(eventLog), [31001, 32004, 31003])
    assert.equal((await kinit(w.t.lab, user.sam, user.password)).code, 0)
  })

  test('"user cannot change password" (deny ACEs) on a change is 33008 userCannotChange', async () => {
    const carl = w.t.lab.users.find((u) => u.role === 'cannotChange')!
    const { run } = w.handler()
    const anchor = await w.t.objectGuid(carl.dn)
    const password = strongPassword()
    const refused = await run(w.envelope({ anchor }, { operation: 'change', password, oldPassword: carl.password }))
    if (refused.ok) {
      // Never leave a shared lab user with another password, even when this test fails.
      await w.t.set(carl.dn, 'unicodePwd', Buffer.from(`"${carl.password}"`, 'utf16le'))
    }
    const error = expectFailure(refused)
    const { rootCause, ldapResultCode } = error.data ?? {}
    assert.deepEqual([error.code, rootCause, ldapResultCode], ['IDB_ERR_WB_POLICY', 'userCannotChange', 19])
  })

  test('an unreachable preferred DC is skipped (event 616); none reachable is 33001 DC_UNAVAILABLE', async () => {
    const user = await w.addUser()
    const dead = `ldaps://${w.t.lab.address}:1`
    const { run, eventLog } = w.handler({ domainControllers: [dead, w.t.lab.ldapUrl] })
    const done = expectOk(await run(w.envelope(user, { operation: 'reset', password: strongPassword() })))
    assert.equal(done.domainController, w.t.lab.ldapUrl)
    assert.deepEqual(eventIds(eventLog), [31001, 616, 9001, 405, 403, 31002])
    const none = w.handler({ domainControllers: [dead] })
    const down = expectFailure(await none.run(w.envelope(user, { operation: 'reset', password: strongPassword() })))
    const { eventId, dc, systemCode } = down.data ?? {}
    assert.deepEqual([down.code, eventId, dc, systemCode], ['IDB_ERR_WB_DC_UNAVAILABLE', 33001, dead, 'ECONNREFUSED'])
  })
})
