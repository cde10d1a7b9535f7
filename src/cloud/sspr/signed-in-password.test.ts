import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { totpCode } from '../../crypto/totp.ts'
import type { User } from '../../store/store-records.ts'
import { BrowserSession } from '../web/browser-session.ts'
import { createTestCloud, type TestCloud } from '../web/test-cloud-app.ts'
import { addUser, synced } from './sspr-test-support.ts'

const AD_PASSWORD = 'On-Prem-Pass-42!'

describe('signed-in password pages, pass-through sign-in and the admin reset API', () => {
  let cloud: TestCloud
  let dana: User
  let omar: User
  before(async () => {
    cloud = await createTestCloud()
    await cloud.store.tenants.updateSettings(cloud.tenant.id, { ...cloud.tenant.settings, passwordWritebackEnabled: true })
    dana = await addUser(cloud, 'dana@contoso.test', {}, 'Dana-Initial-11!')
    omar = await addUser(cloud, 'omar@contoso.test', synced('b21hci1hbmNob3I='))
    cloud.relay.adPassword = AD_PASSWORD
  })
  after(() => cloud.dispose())

  const signIn = async (username: string, password: string) => {
    const browser = new BrowserSession(cloud.app)
    await browser.get('/t/contoso/signin')
    const res = await browser.post('/t/contoso/signin', { username, password })
    return { browser, res }
  }

  it('signs a synced user in against AD through the agent while no hash is synced', async () => {
    assert.equal((await signIn('omar@contoso.test', AD_PASSWORD)).res.status, 303)
    assert.equal((await signIn('omar@contoso.test', 'wrong-password')).res.status, 401)
    cloud.relay.script.push({ ok: false, code: 'IDB_ERR_AGENT_OFFLINE' })
    const down = await signIn('omar@contoso.test', AD_PASSWORD)
    assert.equal(down.res.status, 503)
    assert.match(await down.res.text(), /IDB_ERR_SIGNIN_UNAVAILABLE/)
    assert.deepEqual(
      cloud.relay.received.map((r) => r.operation),
      ['verify', 'verify', 'verify'],
    )
  })

  it('registers email, phone, an authenticator app and security questions', async () => {
    const { browser } = await signIn('dana@contoso.test', 'Dana-Initial-11!')
    const page = await (await browser.get('/t/contoso/me/security-info')).text()
    const secret = page.match(/name="secret" value="([A-Z2-7]{32})"/)![1]!
    assert.equal((await browser.post('/t/contoso/me/security-info/email', { email: 'dana@home.test' })).status, 200)
    const badPhone = await browser.post('/t/contoso/me/security-info/phone', { phone: 'call me' })
    assert.equal(badPhone.status, 400)
    await browser.post('/t/contoso/me/security-info/phone', { phone: '+1 (425) 555-0199 x12' })
    const wrongCode = await browser.post('/t/contoso/me/security-info/app', { secret, code: '000000' })
    assert.equal(wrongCode.status, 400)
    const app = await browser.post('/t/contoso/me/security-info/app', { secret, code: totpCode(secret, cloud.clock.now()) })
    assert.equal(app.status, 200)
    await browser.post('/t/contoso/me/security-info/questions', {
      question0: 'first-pet',
      answer0: 'Rex',
      question1: 'city-first-job',
      answer1: 'Lyon',
      question2: 'childhood-nickname',
      answer2: 'Dee',
    })
    const info = await cloud.store.securityInfo.get(cloud.tenant.id, dana.id)
    assert.equal(info?.email, 'dana@home.test')
    assert.equal(info?.phone, '+14255550199')
    assert.equal(info?.totp?.secret, secret)
    assert.equal(info?.questions.length, 3)
    assert.ok(!JSON.stringify(info).includes('Lyon'), 'answers are hashed')
  })

  it('changes a cloud password with the old one, and a synced one through writeback', async () => {
    const { browser } = await signIn('dana@contoso.test', 'Dana-Initial-11!')
    await browser.get('/t/contoso/me/password')
    const wrong = await browser.post('/t/contoso/me/password', {
      currentPassword: 'nope',
      newPassword: 'Dana-Second-22!',
      confirmPassword: 'Dana-Second-22!',
    })
    assert.match(await wrong.text(), /SSPR_WRONG_PASSWORD/)
    const ok = await browser.post('/t/contoso/me/password', {
      currentPassword: 'Dana-Initial-11!',
      newPassword: 'Dana-Second-22!',
      confirmPassword: 'Dana-Second-22!',
    })
    assert.match(await ok.text(), /Your password has been changed/)
    assert.equal((await browser.get('/t/contoso/me')).status, 200, 'the changing browser keeps a session')
    assert.equal((await signIn('dana@contoso.test', 'Dana-Second-22!')).res.status, 303)

    const omarBrowser = (await signIn('omar@contoso.test', AD_PASSWORD)).browser
    await omarBrowser.get('/t/contoso/me/password')
    const changed = await omarBrowser.post('/t/contoso/me/password', {
      currentPassword: AD_PASSWORD,
      newPassword: 'Omar-Changed-33!',
      confirmPassword: 'Omar-Changed-33!',
    })
    assert.match(await changed.text(), /Your password has been changed/)
    assert.equal(cloud.relay.received.at(-1)?.operation, 'change')
    const audit = await cloud.store.audit.list(cloud.tenant.id, { activity: 'Change password (self-service)', limit: 20 })
    assert.ok(audit.some((a) => a.target === 'omar@contoso.test' && a.result === 'success'))
  })

  it('resets by admin through the API, with must-change sent to AD and the OnPremisesAgent detail', async () => {
    const res = await cloud.api(`/api/v1/users/${omar.id}/password`, {
      method: 'POST',
      json: { password: 'Admin-Set-44!', forceChangePasswordNextSignIn: true },
    })
    assert.equal(res.status, 200)
    const body = (await res.json()) as { onPremises: boolean; trackingId: string }
    assert.equal(body.onPremises, true)
    const sent = cloud.relay.received.at(-1)!
    assert.equal(sent.operation, 'adminReset')
    assert.equal(sent.forceChangePasswordNextLogon, true)
    const audit = await cloud.store.audit.list(cloud.tenant.id, { activity: 'Reset password (by admin)', limit: 1 })
    assert.equal(audit[0]?.details.OnPremisesAgent, 'idbridge agent')

    const banned = await cloud.api(`/api/v1/users/${dana.id}/password`, { method: 'POST', json: { password: 'P@ssw0rd123' } })
    assert.equal(banned.status, 400)
    assert.equal(((await banned.json()) as { error: { code: string } }).error.code, 'SSPR_BANNED_PASSWORD')
  })
})
