import assert from 'node:assert/strict'
import { after, before, beforeEach, describe, it } from 'node:test'
import { generateTotpSecret, totpCode } from '../../crypto/totp.ts'
import type { User } from '../../store/store-records.ts'
import { addUser, enableSspr, ResetWalker } from '../sspr/sspr-test-support.ts'
import { createTestCloud, type TestCloud } from '../web/test-cloud-app.ts'

/** Replays in the reset flow: a captcha answer, an emailed or texted code, and an authenticator code work once. */

describe('SSPR replay protection', () => {
  let cloud: TestCloud
  let n = 0
  before(async () => {
    cloud = await createTestCloud()
    await enableSspr(cloud)
  })
  after(() => cloud.dispose())
  beforeEach(() => cloud.clock.advance(61 * 60_000))

  const setGates = async (gates: 1 | 2) => {
    const tenant = (await cloud.store.tenants.get(cloud.tenant.id))!
    await cloud.store.tenants.updateSettings(tenant.id, { ...tenant.settings, ssprGatesRequired: gates })
  }
  const freshUser = async (): Promise<User> => addUser(cloud, `replay${++n}@contoso.test`, {}, 'Initial-Pass-11!')
  const lastMailedCode = () => cloud.verification.mailer.sent.at(-1)!.text.match(/code is (\d{8})/)![1]!
  const lastTextedCode = () => cloud.verification.sms.sent.at(-1)!.text.match(/code is (\d{8})/)![1]!

  describe('captcha', () => {
    it('accepts an answer once, in the browser it was drawn for', async () => {
      const user = await freshUser()
      const walk = new ResetWalker(cloud)
      await walk.browser.get('/t/contoso/sspr')
      const answer = cloud.verification.captcha.issued.at(-1)!
      const first = await walk.browser.post('/t/contoso/sspr', { userId: user.userPrincipalName, captcha: answer })
      assert.equal(first.status, 303)
      const again = await walk.browser.post('/t/contoso/sspr', { userId: user.userPrincipalName, captcha: answer })
      assert.equal(again.status, 400)
      assert.match(await again.text(), /SSPR_CAPTCHA/)
    })

    it('refuses the answer after a wrong try, in another browser, and without any picture', async () => {
      const user = await freshUser()
      const walk = new ResetWalker(cloud)
      await walk.browser.get('/t/contoso/sspr')
      const answer = cloud.verification.captcha.issued.at(-1)!
      const wrong = await walk.browser.post('/t/contoso/sspr', { userId: user.userPrincipalName, captcha: 'zzzzzz' })
      assert.match(await wrong.text(), /SSPR_CAPTCHA/)
      const afterWrong = await walk.browser.post('/t/contoso/sspr', { userId: user.userPrincipalName, captcha: answer })
      assert.match(await afterWrong.text(), /SSPR_CAPTCHA/, 'the first picture died with the wrong try')

      const other = new ResetWalker(cloud)
      await other.browser.get('/t/contoso/sspr')
      const stolen = cloud.verification.captcha.issued.at(-2)!
      const cross = await other.browser.post('/t/contoso/sspr', { userId: user.userPrincipalName, captcha: stolen })
      assert.match(await cross.text(), /SSPR_CAPTCHA/, "another browser's answer")

      const bare = new ResetWalker(cloud)
      await bare.browser.get('/t/contoso/signin')
      const none = await bare.browser.post('/t/contoso/sspr', { userId: user.userPrincipalName, captcha: answer })
      assert.match(await none.text(), /SSPR_CAPTCHA/, 'no picture was ever drawn for this browser')
    })
  })

  describe('one-time codes', () => {
    it('a code that passed a gate cannot pass again: not in the same flow, after Start over, nor elsewhere', async () => {
      await setGates(1)
      const user = await freshUser()
      const walk = new ResetWalker(cloud)
      await walk.identify(user.userPrincipalName)
      await walk.browser.post('/t/contoso/sspr/verify', { method: 'email' })
      const code = lastMailedCode()
      const passed = await walk.browser.post('/t/contoso/sspr/verify/answer', { code })
      assert.equal(passed.headers.get('location'), '/t/contoso/sspr/password')

      const sameFlow = await walk.browser.post('/t/contoso/sspr/verify/answer', { code })
      assert.notEqual(sameFlow.status, 303)
      assert.match(await sameFlow.text(), /SSPR_FLOW_EXPIRED|SSPR_CODE_INVALID/)

      // Start over in the same browser: a new flow, a new code; the old one is worthless.
      assert.equal((await walk.identify(user.userPrincipalName)).status, 303)
      await walk.browser.post('/t/contoso/sspr/verify', { method: 'email' })
      assert.notEqual(lastMailedCode(), code)
      const restarted = await walk.browser.post('/t/contoso/sspr/verify/answer', { code })
      assert.equal(restarted.status, 400)
      assert.match(await restarted.text(), /SSPR_CODE_INVALID/)

      const elsewhere = new ResetWalker(cloud)
      await elsewhere.identify(user.userPrincipalName)
      await elsewhere.browser.post('/t/contoso/sspr/verify', { method: 'sms' })
      const crossed = await elsewhere.browser.post('/t/contoso/sspr/verify/answer', { code })
      assert.match(await crossed.text(), /SSPR_CODE_INVALID/)
      // Control: the code this flow was sent does pass.
      const fresh = await elsewhere.browser.post('/t/contoso/sspr/verify/answer', { code: lastTextedCode() })
      assert.equal(fresh.headers.get('location'), '/t/contoso/sspr/password')
    })

    it('with two gates, the first gate’s code neither passes twice nor opens the second gate', async () => {
      await setGates(2)
      try {
        const user = await freshUser()
        const walk = new ResetWalker(cloud)
        await walk.identify(user.userPrincipalName)
        await walk.browser.post('/t/contoso/sspr/verify', { method: 'email' })
        const code = lastMailedCode()
        const first = await walk.browser.post('/t/contoso/sspr/verify/answer', { code })
        assert.equal(first.headers.get('location'), '/t/contoso/sspr/verify')
        const replay = await walk.browser.post('/t/contoso/sspr/verify/answer', { code })
        assert.match(await replay.text(), /SSPR_CODE_INVALID/, 'no method pending any more')
        const reuseEmail = await walk.browser.post('/t/contoso/sspr/verify', { method: 'email' })
        assert.match(await reuseEmail.text(), /SSPR_CODE_INVALID/, 'a passed method is not offered again')
        await walk.browser.post('/t/contoso/sspr/verify', { method: 'sms' })
        const second = await walk.browser.post('/t/contoso/sspr/verify/answer', { code })
        assert.equal(second.status, 400)
        assert.match(await second.text(), /SSPR_CODE_INVALID/)
        assert.equal((await walk.browser.get('/t/contoso/sspr/password')).status >= 400, true, 'still gated')
      } finally {
        await setGates(1)
      }
    })
  })

  describe('authenticator app codes', () => {
    const withApp = async () => {
      const user = await freshUser()
      const secret = generateTotpSecret()
      const info = (await cloud.store.securityInfo.get(cloud.tenant.id, user.id))!
      await cloud.store.securityInfo.put(cloud.tenant.id, user.id, { ...info, totp: { secret, lastStep: null } })
      return { user, secret }
    }
    const answerWithApp = async (upn: string, code: string) => {
      const walk = new ResetWalker(cloud)
      await walk.identify(upn)
      const chosen = await walk.browser.post('/t/contoso/sspr/verify', { method: 'app' })
      assert.equal(chosen.status, 200)
      return walk.browser.post('/t/contoso/sspr/verify/answer', { code })
    }

    it('accepts a TOTP code once, even in a new flow and within its 30-second window', async () => {
      await setGates(1)
      const { user, secret } = await withApp()
      const code = totpCode(secret, cloud.clock.now())
      const first = await answerWithApp(user.userPrincipalName, code)
      assert.equal(first.headers.get('location'), '/t/contoso/sspr/password')
      const replay = await answerWithApp(user.userPrincipalName, code)
      assert.equal(replay.status, 400)
      assert.match(await replay.text(), /SSPR_CODE_INVALID/)
      cloud.clock.advance(20_000)
      const later = await answerWithApp(user.userPrincipalName, code)
      assert.match(await later.text(), /SSPR_CODE_INVALID/, 'still inside the drift window, still refused')
      cloud.clock.advance(30_000)
      const next = await answerWithApp(user.userPrincipalName, totpCode(secret, cloud.clock.now()))
      assert.equal(next.headers.get('location'), '/t/contoso/sspr/password', 'the next step’s code works')
    })

    it('refuses an older code once a newer one was accepted', async () => {
      const { user, secret } = await withApp()
      const older = totpCode(secret, cloud.clock.now() - 30_000)
      const current = totpCode(secret, cloud.clock.now())
      assert.notEqual(older, current)
      const ok = await answerWithApp(user.userPrincipalName, current)
      assert.equal(ok.headers.get('location'), '/t/contoso/sspr/password')
      const stale = await answerWithApp(user.userPrincipalName, older)
      assert.match(await stale.text(), /SSPR_CODE_INVALID/)
    })
  })
})
