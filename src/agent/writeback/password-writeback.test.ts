/** @module Password writeback against the Samba lab: resets, changes, unlocks and lost answers, checked with kinit. */
import assert from 'node:assert/strict'
import { after, beforeEach, describe, test } from 'node:test'
import { kinit } from '../../lab/lab-test-clients.ts'
import { PASSWORD_OPERATION_OP } from '../../protocol/password-operation.ts'
import { ManualClock } from '../../time/clock.ts'
import { AgentRequestHandlers } from '../channel/agent-request-handlers.ts'
import { CuttingProxy } from './cutting-proxy.ts'
import type { WritebackDirectory, WritebackSession } from './writeback-directory.ts'
import {
  assertNoSecrets,
  eventIds,
  expectFailure,
  expectOk,
  strongPassword,
  type WritebackTestLab,
  writebackTestFixture,
} from './writeback-test-lab.ts'

let w: WritebackTestLab

describe('password writeback (Samba lab)', () => {
  const fixture = writebackTestFixture()
  beforeEach(async () => {
    w = await fixture.get()
  })
  after(() => fixture.cleanup())

  test('reset: the new password signs in with Kerberos, the old one does not, the lockout is cleared', async () => {
    const user = await w.addUser()
    await w.lockOut(user)
    assert.notEqual((await w.read(user.dn, ['lockoutTime'])).lockoutTime, '0')
    const { run, eventLog } = w.handler()
    const password = strongPassword()
    const envelope = w.envelope(user, { operation: 'reset', password, userPrincipalName: '*)(uid=*' })
    const result = expectOk(await run(envelope, envelope.header.trackingId))
    assert.deepEqual(result, {
      trackingId: envelope.header.trackingId,
      operation: 'reset',
      unlocked: true,
      historyEnforced: false,
      pwdLastSet: 'normal',
      domainController: w.t.lab.ldapUrl,
    })
    assert.equal((await kinit(w.t.lab, user.sam, password)).code, 0)
    assert.notEqual((await kinit(w.t.lab, user.sam, user.password)).code, 0)
    assert.equal((await w.read(user.dn, ['lockoutTime'])).lockoutTime, '0')
    assert.deepEqual(eventIds(eventLog), [31001, 405, 403, 31002])
    const [start, bind, logon, success] = eventLog.events
    const { trackingId } = envelope.header
    const opening = `TrackingId: ${trackingId}, PasswordResetStart, Details: Context: cloudAnchor: User_`
    assert.ok(start!.message.startsWith(opening))
    assert.ok(start!.message.endsWith(`, SourceAnchorValue: ${user.anchor}, UserPrincipalName: *)(uid=*`))
    const connector = w.t.lab.connector.username
    assert.equal(bind!.message, `Call sync ldap_bind for DomainName=CONTOSO.TEST, UserName=${connector}.`)
    assert.equal(bind!.source, 'ADSync')
    assert.equal(logon!.source, 'PasswordResetService')
    assert.match(success!.message, /PasswordResetSuccess, Details: Context: .*, unblockUser: True$/)
    assertNoSecrets(eventLog, password, user.password)
  })

  test('adminReset with "must change": pwdLastSet 0, except on a password that never expires', async () => {
    const user = await w.addUser()
    const neverExpires = await w.addUser({ uac: 0x10000 })
    const { run, eventLog } = w.handler()
    const adminReset = { operation: 'adminReset', forceChangePasswordNextLogon: true } as const
    const must = expectOk(await run(w.envelope(user, { ...adminReset, password: strongPassword() })))
    assert.equal(must.pwdLastSet, 'mustChange')
    assert.equal((await w.read(user.dn, ['pwdLastSet'])).pwdLastSet, '0')
    const kept = expectOk(await run(w.envelope(neverExpires, { ...adminReset, password: strongPassword() })))
    assert.equal(kept.pwdLastSet, 'normal', 'reference §2.5: no force-change on DONT_EXPIRE_PASSWORD')
    assert.notEqual((await w.read(neverExpires.dn, ['pwdLastSet'])).pwdLastSet, '0')
    assert.deepEqual(eventIds(eventLog), [31009, 405, 403, 31010, 31009, 405, 403, 31010])
  })

  test('unlock only clears lockoutTime and leaves the password alone', async () => {
    const user = await w.addUser()
    await w.lockOut(user)
    assert.notEqual((await kinit(w.t.lab, user.sam, user.password)).code, 0, 'locked out')
    const { run } = w.handler()
    const before = await w.read(user.dn, ['pwdLastSet'])
    const result = expectOk(await run(w.envelope(user, { operation: 'unlock' })))
    assert.deepEqual([result.unlocked, result.pwdLastSet, result.historyEnforced], [true, 'unchanged', false])
    assert.equal((await kinit(w.t.lab, user.sam, user.password)).code, 0)
    assert.deepEqual(await w.read(user.dn, ['pwdLastSet']), before)
  })

  test('change as the connector with the old password; history applies; a wrong old password is 33007', async () => {
    const user = await w.addUser()
    const { run, eventLog } = w.handler()
    const password = strongPassword()
    const changed = expectOk(await run(w.envelope(user, { operation: 'change', password, oldPassword: user.password })))
    assert.equal(changed.historyEnforced, true)
    assert.equal(changed.pwdLastSet, 'unchanged')
    assert.equal((await kinit(w.t.lab, user.sam, password)).code, 0)
    const change = (newPassword: string, oldPassword: string) =>
      run(w.envelope(user, { operation: 'change', password: newPassword, oldPassword }))
    const back = expectFailure(await change(user.password, password))
    assert.equal(back.code, 'IDB_ERR_WB_POLICY')
    assert.equal(back.data?.rootCause, 'history')
    assert.equal(back.data?.eventId, 33008)
    const wrong = expectFailure(await change(strongPassword(), 'Not-The-Old-1'))
    assert.equal(wrong.code, 'IDB_ERR_WB_INCORRECT_PASSWORD')
    assert.deepEqual([wrong.data?.eventId, wrong.data?.ldapResultCode, wrong.data?.adDataCode], [33007, 19, '00000056'])
    const bound = [31006, 405, 403]
    assert.deepEqual(eventIds(eventLog), [...bound, 31007, ...bound, 33008, 31008, ...bound, 33007, 31008])
    assertNoSecrets(eventLog, password, user.password, 'Not-The-Old-1')
  })

  test('policy refusals carry the root cause: too short and complexity', async () => {
    const user = await w.addUser()
    const { run, eventLog } = w.handler()
    const short = expectFailure(await run(w.envelope(user, { operation: 'reset', password: 'Ab1!' })))
    assert.equal(short.code, 'IDB_ERR_WB_POLICY')
    assert.deepEqual([short.data?.ldapResultCode, short.data?.adDataCode], [19, '0000052d'])
    assert.equal(short.data?.rootCause, 'tooShort')
    assert.equal(short.data?.rootCauseDetail, `The password must be at least ${w.t.lab.policy.minLength} characters.`)
    const simple = expectFailure(await run(w.envelope(user, { operation: 'reset', password: 'alllowercaseletters' })))
    assert.equal(simple.data?.rootCause, 'complexity')
    assert.match(String(simple.data?.rootCauseDetail), /uses 1 of the 4 character groups/)
    assert.equal((await kinit(w.t.lab, user.sam, user.password)).code, 0, 'the password is unchanged')
    assert.deepEqual(eventIds(eventLog), [31001, 405, 403, 33008, 31003, 31001, 405, 403, 33008, 31003])
    assertNoSecrets(eventLog, 'Ab1!', 'alllowercaseletters')
  })

  test('a PSO with a minimum age: a second change is minimumAge (the PSO is hidden from the connector)', async () => {
    const user = await w.addUser()
    const pso = `CN=wb-min-age-${user.sam},CN=Password Settings Container,CN=System,${w.t.lab.baseDn}`
    await w.t.admin.add(pso, {
      objectClass: 'msDS-PasswordSettings',
      'msDS-PasswordSettingsPrecedence': '1',
      'msDS-PasswordReversibleEncryptionEnabled': 'FALSE',
      'msDS-PasswordHistoryLength': '5',
      'msDS-PasswordComplexityEnabled': 'TRUE',
      'msDS-MinimumPasswordLength': '8',
      'msDS-MinimumPasswordAge': String(-864_000_000_000),
      'msDS-MaximumPasswordAge': String(-864_000_000_000 * 365),
      'msDS-LockoutThreshold': '0',
      'msDS-LockoutObservationWindow': String(-18_000_000_000),
      'msDS-LockoutDuration': String(-18_000_000_000),
      'msDS-PSOAppliesTo': user.dn,
    })
    try {
      const { run } = w.handler()
      const change = { operation: 'change', password: strongPassword(), oldPassword: user.password } as const
      const refused = expectFailure(await run(w.envelope(user, change)))
      assert.equal(refused.code, 'IDB_ERR_WB_POLICY')
      assert.equal(refused.data?.rootCause, 'minimumAge')
      assert.equal(refused.data?.policySource, 'domain-fallback', 'Samba hides PSO attributes from the connector')
      // An admin-style reset is not bound by the minimum age.
      expectOk(await run(w.envelope(user, { operation: 'reset', password: strongPassword() })))
    } finally {
      await w.t.admin.del(pso)
    }
  })

  test('finds a user by ms-DS-ConsistencyGuid before objectGUID', async () => {
    const guid = Buffer.from('00112233445566778899aabbccddeeff', 'hex')
    const user = await w.addUser({ consistencyGuid: guid })
    const { run } = w.handler()
    const password = strongPassword()
    expectOk(await run(w.envelope(user, { operation: 'reset', password })))
    assert.equal((await kinit(w.t.lab, user.sam, password)).code, 0)
  })

  test('a replayed trackingId through AgentRequestHandlers returns the first result and writes nothing', async () => {
    const user = await w.addUser()
    const { handle } = w.handler()
    const handlers = new AgentRequestHandlers({ clock: new ManualClock() })
    handlers.on(PASSWORD_OPERATION_OP, handle)
    const envelope = w.envelope(user, { operation: 'reset', password: strongPassword() })
    const key = envelope.header.trackingId
    const first = await handlers.handle(PASSWORD_OPERATION_OP, envelope, { requestId: 'r1', idempotencyKey: key })
    expectOk(first)
    const written = await w.read(user.dn, ['uSNChanged', 'pwdLastSet'])
    const again = await handlers.handle(PASSWORD_OPERATION_OP, envelope, { requestId: 'r2', idempotencyKey: key })
    assert.deepEqual(again, first)
    assert.deepEqual(await w.read(user.dn, ['uSNChanged', 'pwdLastSet']), written, 'no second write')
  })

  test('a connection lost after the modify went out is OUTCOME_UNKNOWN, not retried (and AD applied it)', async () => {
    const user = await w.addUser()
    const dc = new URL(w.t.lab.ldapUrl)
    const proxy = await CuttingProxy.start(dc.hostname, Number(dc.port || 636))
    try {
      const cutBeforeReset = (real: WritebackDirectory): WritebackDirectory => ({
        domainName: real.domainName,
        async open(skip) {
          const opened = await real.open(skip)
          if (!opened.ok) return opened
          const session = opened.value
          const wrapped = new Proxy(session, {
            get(target, prop) {
              const member = Reflect.get(target, prop, target) as unknown
              if (typeof member !== 'function') return member
              return (...args: unknown[]) => {
                if (prop === 'resetPassword') proxy.arm()
                return (member as (...a: unknown[]) => unknown).apply(target, args)
              }
            },
          }) as WritebackSession
          return { ok: true, value: wrapped }
        },
      })
      const { run, eventLog } = w.handler({ domainControllers: [proxy.url, w.t.lab.ldapUrl], wrap: cutBeforeReset })
      const password = strongPassword()
      const lost = expectFailure(await run(w.envelope(user, { operation: 'reset', password })))
      assert.deepEqual([lost.code, lost.data?.eventId, lost.data?.dc], ['IDB_ERR_WB_OUTCOME_UNKNOWN', 32000, proxy.url])
      assert.deepEqual(eventIds(eventLog), [31001, 405, 403, 32000, 31003], 'the second DC was not tried')
      assert.equal((await kinit(w.t.lab, user.sam, password)).code, 0, 'the write had landed')
    } finally {
      await proxy.stop()
    }
  })
})
