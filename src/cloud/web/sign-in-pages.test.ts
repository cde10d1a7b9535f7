import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { User } from '../../store/store-records.ts'
import { BrowserSession } from './browser-session.ts'
import { createTestCloud, type TestCloud } from './test-cloud-app.ts'

const PASSWORD = 'Blue-Harbor-42!'

describe('sign-in pages', () => {
  let cloud: TestCloud
  let ada: User
  before(async () => {
    cloud = await createTestCloud()
    const created = await cloud.deps.users.create(
      cloud.tenant,
      {
        userPrincipalName: 'ada@contoso.test',
        givenName: 'Ada',
        surname: 'Lovelace',
        displayName: 'Ada Lovelace',
        mail: 'ada@contoso.test',
        mobile: null,
        accountEnabled: true,
        roles: [],
        passwordPolicies: [],
        licenses: ['ENTERPRISE'],
        onPremises: null,
      },
      { name: 'test', correlationId: 'c' },
      PASSWORD,
    )
    assert.ok(created.ok)
    ada = created.value
  })
  after(() => cloud.dispose())

  const signInPage = async (browser: BrowserSession) => {
    const res = await browser.get('/t/contoso/signin')
    assert.equal(res.status, 200)
    return res.text()
  }

  it('renders labelled fields, a reset link and security headers', async () => {
    const browser = new BrowserSession(cloud.app)
    const res = await browser.get('/t/contoso/signin')
    const html = await res.text()
    assert.match(html, /^<!DOCTYPE html>/)
    assert.match(html, /<label for="username">Email or username<\/label>/)
    assert.match(html, /<label for="password">Password<\/label>/)
    assert.match(html, /href="\/t\/contoso\/sspr">Forgot my password/)
    assert.equal(res.headers.get('x-frame-options'), 'DENY')
    assert.match(res.headers.get('content-security-policy') ?? '', /frame-ancestors 'none'/)
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff')
    assert.match(res.headers.get('strict-transport-security') ?? '', /max-age=/)
  })

  it('signs in with the right password and opens the account page', async () => {
    const browser = new BrowserSession(cloud.app)
    await signInPage(browser)
    const res = await browser.post('/t/contoso/signin', { username: 'ADA@contoso.test', password: PASSWORD })
    assert.equal(res.status, 303)
    assert.equal(res.headers.get('location'), '/t/contoso/me')
    const me = await browser.get('/t/contoso/me')
    assert.equal(me.status, 200)
    assert.match(await me.text(), /Ada Lovelace/)
    const audit = await cloud.store.audit.list(cloud.tenant.id, {
      activity: 'Sign-in activity',
      result: 'success',
      limit: 5,
    })
    assert.equal(audit[0]?.target, 'ada@contoso.test')
  })

  it('sends a user with a temporary password to change it first, and keeps it there until it is changed', async () => {
    const credential = (await cloud.store.credentials.get(cloud.tenant.id, ada.id))!
    await cloud.store.credentials.set(cloud.tenant.id, ada.id, { verifier: credential.verifier, mustChange: true })
    try {
      const browser = new BrowserSession(cloud.app)
      await signInPage(browser)
      const res = await browser.post('/t/contoso/signin', { username: 'ada@contoso.test', password: PASSWORD })
      assert.equal(res.status, 303)
      assert.equal(res.headers.get('location'), '/t/contoso/me/password?required=1')
      const me = await browser.get('/t/contoso/me')
      assert.equal(me.status, 303)
      assert.equal(me.headers.get('location'), '/t/contoso/me/password?required=1')
      const page = await browser.get('/t/contoso/me/password?required=1')
      assert.match(await page.text(), /<p role="alert">Your password is temporary/)
    } finally {
      await cloud.store.credentials.set(cloud.tenant.id, ada.id, { verifier: credential.verifier, mustChange: false })
    }
  })

  it('refuses a wrong password with a safe message and a support code that the audit log knows', async () => {
    const browser = new BrowserSession(cloud.app)
    await signInPage(browser)
    const res = await browser.post('/t/contoso/signin', { username: 'ada@contoso.test', password: 'nope' })
    assert.equal(res.status, 401)
    const html = await res.text()
    assert.match(html, /role="alert"/)
    assert.match(html, /Your account or password is incorrect/)
    const supportCode = res.headers.get('x-correlation-id')
    assert.ok(supportCode && html.includes(supportCode))
    const events = await cloud.store.audit.list(cloud.tenant.id, { correlationId: supportCode, limit: 5 })
    assert.equal(events[0]?.failureReason, 'InvalidPassword')
    // An unknown user gets the very same page text.
    const unknown = await browser.post('/t/contoso/signin', { username: 'nobody@contoso.test', password: 'nope' })
    assert.equal(unknown.status, 401)
    assert.match(await unknown.text(), /Your account or password is incorrect/)
  })

  it('locks after 10 different wrong passwords, not after one repeated, and unlocks after 60 s', async () => {
    const browser = new BrowserSession(cloud.app)
    await signInPage(browser)
    await cloud.store.lockouts.put(cloud.tenant.id, ada.id, {
      failures: 0,
      lockLevel: 0,
      lockedUntil: 0,
      recentBad: [],
      updatedAt: 0,
    })
    for (let i = 0; i < 15; i++) {
      const res = await browser.post('/t/contoso/signin', { username: 'ada@contoso.test', password: 'same-wrong' })
      assert.equal(res.status, 401)
    }
    for (let i = 0; i < 8; i++) {
      assert.equal(
        (await browser.post('/t/contoso/signin', { username: 'ada@contoso.test', password: `wrong-${i}` })).status,
        401,
      )
    }
    const tenth = await browser.post('/t/contoso/signin', { username: 'ada@contoso.test', password: 'wrong-9' })
    assert.equal(tenth.status, 429)
    const right = await browser.post('/t/contoso/signin', { username: 'ada@contoso.test', password: PASSWORD })
    assert.equal(right.status, 429, 'even the right password is refused while locked')
    assert.match(await right.text(), /temporarily locked/)
    cloud.clock.advance(61_000)
    assert.equal(
      (await browser.post('/t/contoso/signin', { username: 'ada@contoso.test', password: PASSWORD })).status,
      303,
    )
  })

  it('refuses a form without the CSRF token, and one from another origin', async () => {
    const browser = new BrowserSession(cloud.app)
    await signInPage(browser)
    const noToken = await browser.post(
      '/t/contoso/signin',
      { username: 'ada@contoso.test', password: PASSWORD },
      { csrf: false },
    )
    assert.equal(noToken.status, 403)
    assert.match(await noToken.text(), /IDB_ERR_CSRF/)
    const crossOrigin = await browser.post(
      '/t/contoso/signin',
      { username: 'ada@contoso.test', password: PASSWORD },
      { origin: 'https://evil.test' },
    )
    assert.equal(crossOrigin.status, 403)
  })

  it('ignores a returnTo that leaves the tenant (no open redirect)', async () => {
    for (const returnTo of ['https://evil.test/', '//evil.test/t/contoso/', '/t/contoso//evil.test', '/t/other/me']) {
      const browser = new BrowserSession(cloud.app)
      await signInPage(browser)
      const res = await browser.post('/t/contoso/signin', {
        username: 'ada@contoso.test',
        password: PASSWORD,
        returnTo,
      })
      assert.equal(res.headers.get('location'), '/t/contoso/me', returnTo)
    }
    const browser = new BrowserSession(cloud.app)
    await signInPage(browser)
    const res = await browser.post('/t/contoso/signin', {
      username: 'ada@contoso.test',
      password: PASSWORD,
      returnTo: '/t/contoso/admin',
    })
    assert.equal(res.headers.get('location'), '/t/contoso/admin')
  })

  it('revokes every session when "sessions valid from" moves, and audits it', async () => {
    const browser = new BrowserSession(cloud.app)
    await signInPage(browser)
    await browser.post('/t/contoso/signin', { username: 'ada@contoso.test', password: PASSWORD })
    assert.equal((await browser.get('/t/contoso/me')).status, 200)
    cloud.clock.advance(1000)
    const res = await cloud.api(`/api/v1/users/${ada.id}/revoke-sessions`, { method: 'POST' })
    assert.equal(res.status, 200)
    const me = await browser.get('/t/contoso/me')
    assert.equal(me.status, 303)
    assert.match(me.headers.get('location') ?? '', /\/t\/contoso\/signin\?returnTo=/)
    const audit = await cloud.store.audit.list(cloud.tenant.id, {
      activity: 'Update StsRefreshTokenValidFrom Timestamp',
      limit: 5,
    })
    assert.equal(audit[0]?.target, 'ada@contoso.test')
  })

  it('keeps non-admins out of the admin page and lets admins in', async () => {
    const browser = new BrowserSession(cloud.app)
    await signInPage(browser)
    await browser.post('/t/contoso/signin', { username: 'ada@contoso.test', password: PASSWORD })
    assert.equal((await browser.get('/t/contoso/admin')).status, 403)
    assert.equal((await new BrowserSession(cloud.app).get('/t/contoso/admin')).status, 303)
  })

  it('answers SSPR_0009 with a support code while password reset is off', async () => {
    const res = await new BrowserSession(cloud.app).get('/t/contoso/sspr')
    assert.equal(res.status, 403)
    const html = await res.text()
    assert.match(html, /SSPR_0009/)
    assert.match(html, /has not turned on password reset/)
    assert.ok(html.includes(res.headers.get('x-correlation-id') ?? 'missing'))
  })

  it('answers an unknown tenant with a clear 404', async () => {
    const res = await new BrowserSession(cloud.app).get('/t/nosuchtenant/signin')
    assert.equal(res.status, 404)
    assert.match(await res.text(), /IDB_ERR_TENANT_NOT_FOUND/)
  })
})
