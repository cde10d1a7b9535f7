import assert from 'node:assert/strict'
import { after, before, beforeEach, describe, it } from 'node:test'
import type { User } from '../../store/store-records.ts'
import { hashSecurityAnswer } from './security-questions.ts'
import { createTestCloud, type TestCloud } from '../web/test-cloud-app.ts'
import { addUser, enableSspr, ResetWalker, synced } from './sspr-test-support.ts'

const GOOD = 'Harbor-Lantern-73!'

describe('self-service password reset flow', () => {
  let cloud: TestCloud
  let cleo: User
  let sam: User
  before(async () => {
    cloud = await createTestCloud()
    await enableSspr(cloud, { customBannedPasswords: ['blank'] })
    cleo = await addUser(cloud, 'cleo@contoso.test', {}, 'Initial-Pass-11!')
    sam = await addUser(cloud, 'sam@contoso.test', synced('c2FtLWFuY2hvcg=='))
  })
  after(() => cloud.dispose())
  beforeEach(() => {
    cloud.relay.script.length = 0
    // Each case is its own hour, so the 5-an-hour throttle only bites where a case wants it to.
    cloud.clock.advance(61 * 60_000)
  })

  const text = (res: Response) => res.text()

  it('resets a cloud user through captcha, an email code and the new password, and audits each step', async () => {
    const walk = new ResetWalker(cloud)
    const identified = await walk.identify('Cleo@Contoso.test')
    assert.equal(identified.status, 303)
    assert.equal(identified.headers.get('location'), '/t/contoso/sspr/verify')
    const gates = await text(await walk.browser.get('/t/contoso/sspr/verify'))
    assert.match(gates, /Email my alternate email \(c•••••@home\.test\)/)
    const passed = await walk.passGate('email')
    assert.equal(passed.headers.get('location'), '/t/contoso/sspr/password')

    const mismatch = await walk.submitPassword(GOOD, `${GOOD}x`)
    assert.equal(mismatch.status, 400)
    assert.match(await text(mismatch), /SSPR_PASSWORD_MISMATCH/)
    const banned = await walk.submitPassword('C0ntos0Blank12')
    assert.match(await text(banned), /SSPR_BANNED_PASSWORD_CUSTOM.*|blocked by your administrator/s)
    const done = await walk.submitPassword(GOOD)
    assert.equal(done.status, 200)
    assert.match(await text(done), /Your password has been reset/)

    const signIn = new ResetWalker(cloud).browser
    await signIn.get('/t/contoso/signin')
    const res = await signIn.post('/t/contoso/signin', { username: 'cleo@contoso.test', password: GOOD })
    assert.equal(res.status, 303)
    const audit = await cloud.store.audit.list(cloud.tenant.id, { limit: 50 })
    const names = audit.map((a) => `${a.activity}|${a.result}|${a.failureReason ?? ''}`)
    assert.ok(names.includes('Reset password (self-service)|success|'))
    assert.ok(names.includes('Reset password (self-service)|failure|FuzzyPolicyViolationInvalidPassword'))
    assert.ok(names.includes('Update StsRefreshTokenValidFrom Timestamp|success|'))
    assert.ok(audit.some((a) => a.details.step === 'User successfully reset password'))
    assert.ok(!JSON.stringify(audit).includes(GOOD))
  })

  it('writes a synced user back to AD through the relay, and shows unlock and history facts', async () => {
    const walk = new ResetWalker(cloud)
    await walk.identify('sam@contoso.test')
    const passed = await walk.passGate('sms')
    assert.equal(passed.headers.get('location'), '/t/contoso/sspr/action')
    const reset = await walk.browser.post('/t/contoso/sspr/action', { action: 'reset' })
    assert.equal(reset.headers.get('location'), '/t/contoso/sspr/password')
    const done = await text(await walk.submitPassword('Ünïcode-😀-pass-9'))
    assert.match(done, /Your password has been reset/)
    assert.match(done, /password history was not checked/)
    const sent = cloud.relay.received.at(-1)!
    assert.equal(sent.operation, 'reset')
    assert.equal(sent.unlockUser, true)
    assert.equal(sent.sourceAnchor, 'c2FtLWFuY2hvcg==')
    assert.equal(sent.cloudAnchor, `User_${sam.id}`)
  })

  it('unlocks without a reset when the user chooses it', async () => {
    const walk = new ResetWalker(cloud)
    await walk.identify('sam@contoso.test')
    await walk.passGate('email')
    const res = await walk.browser.post('/t/contoso/sspr/action', { action: 'unlock' })
    assert.match(await text(res), /Your account has been unlocked/)
    assert.equal(cloud.relay.received.at(-1)!.operation, 'unlock')
  })

  for (const [agentCode, userCode, admin] of [
    ['IDB_ERR_WB_PROTECTED_ACCOUNT', 'SSPR_0029', 'IDB_ERR_WB_PROTECTED_ACCOUNT, agent event 33004'],
    ['IDB_ERR_AGENT_OFFLINE', 'SSPR_0029', 'IDB_ERR_AGENT_OFFLINE, agent event 31034'],
    ['IDB_ERR_WB_USER_NOT_FOUND', 'SSPR_0029', 'IDB_ERR_WB_USER_NOT_FOUND, agent event 33002'],
    ['IDB_ERR_AGENT_OUTCOME_UNKNOWN', 'SSPR_OUTCOME_UNKNOWN', 'IDB_ERR_AGENT_OUTCOME_UNKNOWN'],
  ] as const) {
    it(`shows ${userCode} with a support code and the agent's ${agentCode} for the admin`, async () => {
      cloud.relay.script.push({ ok: false, code: agentCode })
      const walk = new ResetWalker(cloud)
      await walk.identify('sam@contoso.test')
      await walk.passGate('email')
      await walk.browser.post('/t/contoso/sspr/action', { action: 'reset' })
      const res = await walk.submitPassword(GOOD)
      const html = await text(res)
      assert.match(html, new RegExp(`Error code ${userCode}\\. Support code [0-9a-f-]{36}`))
      assert.ok(html.includes(admin), html)
      const audit = await cloud.store.audit.list(cloud.tenant.id, { limit: 5 })
      assert.ok(audit.some((a) => a.failureReason === `${userCode} (${agentCode})`))
    })
  }

  it('keeps the form on an on-premises policy refusal and names the rule', async () => {
    cloud.relay.script.push({
      ok: false,
      code: 'IDB_ERR_WB_POLICY',
      data: { eventId: 33008, rootCause: 'minimumAge', rootCauseDetail: 'The password was changed 1 h ago; wait 23 h.' },
    })
    const walk = new ResetWalker(cloud)
    await walk.identify('sam@contoso.test')
    await walk.passGate('email')
    await walk.browser.post('/t/contoso/sspr/action', { action: 'reset' })
    const html = await text(await walk.submitPassword(GOOD))
    assert.match(html, /SSPR_ONPREM_POLICY/)
    assert.match(html, /wait 23 h/)
    assert.match(html, /Choose a new password/)
    assert.match(await text(await walk.submitPassword(GOOD)), /Your password has been reset/)
  })

  it('walks an unknown or hostile user ID through the same pages, and never passes a gate', async () => {
    const before = cloud.relay.received.length
    for (const id of ['nobody@contoso.test', '*)(uid=*', '(&(objectClass=*))']) {
      const walk = new ResetWalker(cloud)
      const identified = await walk.identify(id)
      assert.equal(identified.status, 303)
      const gates = await text(await walk.browser.get('/t/contoso/sspr/verify'))
      assert.match(gates, /Email my alternate email \(.•••••@/)
      const res = await walk.passGate('email', '12345678')
      assert.match(await text(res), /SSPR_CODE_INVALID/)
    }
    assert.equal(cloud.relay.received.length, before, 'nothing reached the relay')
  })

  it('refuses a replayed captcha, an expired code, and a POST without the CSRF token', async () => {
    const walk = new ResetWalker(cloud)
    await walk.browser.get('/t/contoso/sspr')
    const answer = cloud.verification.captcha.issued.at(-1)!
    const first = await walk.browser.post('/t/contoso/sspr', { userId: 'cleo@contoso.test', captcha: answer })
    assert.equal(first.status, 303)
    const replay = await walk.browser.post('/t/contoso/sspr', { userId: 'cleo@contoso.test', captcha: answer })
    assert.match(await text(replay), /SSPR_CAPTCHA/)

    const late = new ResetWalker(cloud)
    await late.identify('cleo@contoso.test')
    await late.browser.post('/t/contoso/sspr/verify', { method: 'email' })
    const code = cloud.verification.mailer.sent.at(-1)!.text.match(/code is (\d{8})/)![1]!
    cloud.clock.advance(11 * 60_000)
    const expired = await late.browser.post('/t/contoso/sspr/verify/answer', { code })
    assert.match(await text(expired), /SSPR_CODE_EXPIRED/)

    const forged = await new ResetWalker(cloud).browser.post('/t/contoso/sspr', { userId: 'x', captcha: 'y' }, { csrf: false })
    assert.equal(forged.status, 403)
    assert.match(await text(forged), /IDB_ERR_CSRF/)
  })

  it('refuses empty and 300-character passwords, and a non-ASCII one for a cloud-managed user', async () => {
    const walk = new ResetWalker(cloud)
    await walk.identify('cleo@contoso.test')
    await walk.passGate('email')
    assert.match(await text(await walk.submitPassword('')), /SSPR_PASSWORD_INVALID/)
    assert.match(await text(await walk.submitPassword('Aa1!'.repeat(75))), /SSPR_PASSWORD_INVALID/)
    assert.match(await text(await walk.submitPassword('Ünïcode-😀-pass-9')), /SSPR_CLOUD_POLICY/)
  })

  it('blocks a user ID for 24 hours after 5 attempts in an hour, with the audit entry', async () => {
    const walk = new ResetWalker(cloud)
    await addUser(cloud, 'tess@contoso.test', {}, 'Initial-Pass-11!')
    await walk.identify('tess@contoso.test')
    await walk.browser.post('/t/contoso/sspr/verify', { method: 'email' })
    let last: Response | undefined
    for (let i = 0; i < 6; i++) last = await walk.browser.post('/t/contoso/sspr/verify/answer', { code: '00000000' })
    assert.equal(last!.status, 429)
    assert.match(await text(last!), /SSPR_BLOCKED/)
    const again = new ResetWalker(cloud)
    const res = await again.identify('tess@contoso.test')
    assert.equal(res.status, 429)
    const audit = await cloud.store.audit.list(cloud.tenant.id, { limit: 10 })
    assert.ok(audit.some((a) => a.activity === 'Blocked from self-service password reset'))
  })

  /** A cloud user whose only registered method is three security questions. */
  const withQuestions = async (upn: string) => {
    const user = await addUser(cloud, upn, {}, 'Initial-Pass-11!')
    await cloud.store.securityInfo.put(cloud.tenant.id, user.id, {
      email: null,
      phone: null,
      totp: null,
      questions: [
        { id: 'first-pet', answerHash: await hashSecurityAnswer('Rex') },
        { id: 'city-first-job', answerHash: await hashSecurityAnswer('Lyon') },
        { id: 'childhood-nickname', answerHash: await hashSecurityAnswer('Dee') },
      ],
      updatedAt: cloud.clock.now(),
    })
    return user
  }
  const answerQuestions = async (walk: ResetWalker, answers: [string, string, string]) => {
    const asked = await text(await walk.browser.post('/t/contoso/sspr/verify', { method: 'questions' }))
    assert.match(asked, /What was the name of your first pet\?/)
    return walk.browser.post('/t/contoso/sspr/verify/answer', { answer0: answers[0], answer1: answers[1], answer2: answers[2] })
  }

  it('passes the security-questions gate only with every answer right, in any case and spacing', async () => {
    await withQuestions('quinn@contoso.test')
    const walk = new ResetWalker(cloud)
    await walk.identify('quinn@contoso.test')
    const gates = await text(await walk.browser.get('/t/contoso/sspr/verify'))
    assert.match(gates, /Answer my security questions/)
    assert.match(await text(await answerQuestions(walk, ['Rex', 'Lyon', 'Dean'])), /SSPR_CODE_INVALID/)
    const passed = await answerQuestions(walk, ['  rex ', 'LYON', 'dee'])
    assert.equal(passed.headers.get('location'), '/t/contoso/sspr/password')
  })

  it('blocks the sixth reset of one account within an hour, with the audit entry', async () => {
    await withQuestions('rita@contoso.test')
    const reset = async () => {
      const walk = new ResetWalker(cloud)
      await walk.identify('rita@contoso.test')
      await answerQuestions(walk, ['Rex', 'Lyon', 'Dee'])
      return walk.submitPassword(GOOD)
    }
    for (let i = 0; i < 5; i++) assert.match(await text(await reset()), /Your password has been reset/)
    const sixth = await reset()
    assert.equal(sixth.status, 429)
    assert.match(await text(sixth), /SSPR_BLOCKED/)
    const audit = await cloud.store.audit.list(cloud.tenant.id, { activity: 'Blocked from self-service password reset', limit: 5 })
    assert.ok(audit.some((a) => a.target === 'rita@contoso.test' && a.details.attempt === 'reset'))
  })

  it('answers SSPR_0009 when reset is off, and records SSPR_0014 for an admin with one method', async () => {
    await addUser(cloud, 'root@contoso.test', { roles: ['GlobalAdministrator'] })
    const only = await cloud.store.users.getByUserPrincipalName(cloud.tenant.id, 'root@contoso.test')
    await cloud.store.securityInfo.put(cloud.tenant.id, only!.id, {
      email: 'root@home.test',
      phone: null,
      totp: null,
      questions: [],
      updatedAt: 1,
    })
    const walk = new ResetWalker(cloud)
    assert.equal((await walk.identify('root@contoso.test')).status, 303)
    const audit = await cloud.store.audit.list(cloud.tenant.id, { limit: 3 })
    assert.ok(audit.some((a) => a.failureReason === 'SSPR_0014'))

    const tenant = (await cloud.store.tenants.get(cloud.tenant.id))!
    await cloud.store.tenants.updateSettings(tenant.id, { ...tenant.settings, ssprEnabled: false })
    const off = await new ResetWalker(cloud).browser.get('/t/contoso/sspr')
    assert.equal(off.status, 403)
    assert.match(await text(off), /SSPR_0009/)
    await cloud.store.tenants.updateSettings(tenant.id, tenant.settings)
    assert.ok(cleo)
  })
})
