/** @module Test support: a full portal and admin scenario with known secrets, for the secret scan. */
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { fakeFault } from '../../agent/writeback/fake-writeback-directory.ts'
import { generateTotpSecret, totpCode } from '../../crypto/totp.ts'
import { SESSION_COOKIE } from '../web/page-routes.tsx'
import { addUser, enableSspr, ResetWalker, synced } from '../sspr/sspr-test-support.ts'
import { FLOW_COOKIE } from '../sspr/sspr-flow-cookie.ts'
import { BrowserSession } from '../web/browser-session.ts'
import type { TestCloud } from '../web/test-cloud-app.ts'
import type { AgentSideOperations } from './agent-side-operations.ts'
import type { KnownSecret } from './secret-scanner.ts'

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User'

/** Strong, unique, and free of the tenant's and users' names, so no policy refuses them. */
export const scenarioPasswords = {
  scimCreated: 'Quartz-Meadow-4821!',
  cloudInitial: 'Velvet-Harbor-7390!',
  wrongGuess: 'Velvet-Harbor-7391?',
  changed: 'Copper-Lantern-5512!',
  ssprCloud: 'Amber-Falcon-2048!',
  adInitial: 'Silver-Canyon-6603!',
  syncedWrong: 'Silver-Canyon-6604?',
  refusedByAd: 'Cobalt-Orchard-1175!',
  ssprSynced: 'Indigo-Glacier-3386!',
  adminCloud: 'Maple-Thunder-9254!',
  adminSynced: 'Scarlet-Prairie-4417!',
  typedAsUserName: 'Walnut-Reef-8830!',
}

const answers = ['Lisbon Harbour', 'Oaxaca Market', 'Tromso Bridge']

/**
 * Creates users with known passwords, signs in (right and wrong), registers every security-info
 * method, changes a password, walks self-service resets of a cloud user and a synced one (one of
 * them refused by AD), resets both as an admin and creates a registration token. Returns every
 * secret it used; the caller scans what the run left behind.
 */
export async function runSecretScenario(cloud: TestCloud, agent: AgentSideOperations): Promise<KnownSecret[]> {
  const p = scenarioPasswords
  const tokens: KnownSecret[] = []
  const token = (label: string, value: string | undefined, allowedIn?: string[]) => {
    assert.ok(value, `${label} was issued`)
    tokens.push({ label, value, kind: 'token', allowedIn })
  }
  await enableSspr(cloud)

  const ada = await cloud.api('/scim/v2/Users', {
    method: 'POST',
    json: { schemas: [USER], userName: 'ada@contoso.test', displayName: 'Ada', active: true, password: p.scimCreated },
  })
  assert.equal(ada.status, 201)
  const adaId = ((await ada.json()) as { id: string }).id
  await addUser(cloud, 'cleo@contoso.test', {}, p.cloudInitial)
  const anchor = randomBytes(16).toString('base64')
  const sam = await addUser(cloud, 'sam@contoso.test', synced(anchor))
  agent.addUser(anchor, 'sam', p.adInitial)

  // The password typed into the user name box: the audit log keeps what was typed (as the
  // reference's sign-in log does), so only the store may hold it; logs and the bundle may not.
  const slip = new BrowserSession(cloud.app)
  await slip.get('/t/contoso/signin')
  assert.equal((await slip.post('/t/contoso/signin', { username: p.typedAsUserName, password: p.typedAsUserName })).status, 401)

  // Sign-ins: a wrong guess first (smart lockout keeps a digest of it), then the right password.
  const cleo = new BrowserSession(cloud.app)
  await cleo.get('/t/contoso/signin')
  const wrong = await cleo.post('/t/contoso/signin', { username: 'cleo@contoso.test', password: p.wrongGuess })
  assert.equal(wrong.status, 401)
  assert.equal((await cleo.post('/t/contoso/signin', { username: 'cleo@contoso.test', password: p.cloudInitial })).status, 303)
  token('cleo session', cleo.cookies.get(SESSION_COOKIE))

  // Security info: every method, the authenticator secret and the answers included.
  await cleo.get('/t/contoso/me/security-info')
  const totp = generateTotpSecret()
  const saved = [
    await cleo.post('/t/contoso/me/security-info/email', { email: 'cleo@home.test' }),
    await cleo.post('/t/contoso/me/security-info/phone', { phone: '+1 425 555 0199' }),
    await cleo.post('/t/contoso/me/security-info/app', { secret: totp, code: totpCode(totp, cloud.clock.now()) }),
    await cleo.post('/t/contoso/me/security-info/questions', {
      ...Object.fromEntries(['city-met-partner', 'city-parents-met', 'city-first-job'].map((q, i) => [`question${i}`, q])),
      ...Object.fromEntries(answers.map((a, i) => [`answer${i}`, a])),
    }),
  ]
  for (const res of saved) assert.match(await res.text(), /Saved\./)
  // The one secret the store must keep in the clear: the app's codes are computed from it.
  token('authenticator secret', totp, ['data-dir:idbridge.db', 'store-table:'])
  answers.forEach((a, i) => token(`security answer ${i}`, a))

  await cleo.get('/t/contoso/me/password')
  const changed = await cleo.post('/t/contoso/me/password', {
    currentPassword: p.cloudInitial,
    newPassword: p.changed,
    confirmPassword: p.changed,
  })
  assert.equal(changed.status, 200, await changed.clone().text())
  token('cleo session after the change', cleo.cookies.get(SESSION_COOKIE))

  // Self-service reset of the cloud user.
  cloud.clock.advance(61 * 60_000)
  const cloudReset = new ResetWalker(cloud)
  assert.equal((await cloudReset.identify('cleo@contoso.test')).status, 303)
  assert.equal((await cloudReset.passGate('email')).headers.get('location'), '/t/contoso/sspr/password')
  token('reset flow cookie', cloudReset.browser.cookies.get(FLOW_COOKIE))
  assert.match(await (await cloudReset.submitPassword(p.ssprCloud)).text(), /password has been reset|has been changed|reset/i)

  // The synced user: pass-through sign-in through the agent, then a reset AD refuses once.
  const samBrowser = new BrowserSession(cloud.app)
  await samBrowser.get('/t/contoso/signin')
  assert.equal((await samBrowser.post('/t/contoso/signin', { username: sam.userPrincipalName, password: p.syncedWrong })).status, 401)
  assert.equal((await samBrowser.post('/t/contoso/signin', { username: sam.userPrincipalName, password: p.adInitial })).status, 303)
  token('sam session', samBrowser.cookies.get(SESSION_COOKIE))
  const syncedReset = new ResetWalker(cloud)
  await syncedReset.identify(sam.userPrincipalName)
  const gate = await syncedReset.passGate('sms')
  if (gate.headers.get('location')?.endsWith('/sspr/action')) {
    await syncedReset.browser.post('/t/contoso/sspr/action', { action: 'reset' })
  }
  const dc = agent.directory.dcs[0]!
  const refusal = { ldapResultCode: 19, adDataCode: '0000052d', diagnostic: '0000052D: Constraint violation - check_password_restrictions' }
  agent.directory.faults.set(`${dc} resetPassword`, fakeFault(dc, refusal))
  const refused = await (await syncedReset.submitPassword(p.refusedByAd)).text()
  assert.match(refused, /SSPR_ONPREM_POLICY/)
  const accepted = await syncedReset.submitPassword(p.ssprSynced)
  assert.equal(accepted.status, 200, await accepted.clone().text())
  assert.equal(agent.directory.users[0]!.password, p.ssprSynced, 'the reset reached AD')

  // Admin resets through the API: in the tenant for Ada, through writeback for Sam.
  for (const [id, password] of [[adaId, p.adminCloud], [sam.id, p.adminSynced]] as const) {
    const res = await cloud.api(`/api/v1/users/${id}/password`, { method: 'POST', json: { password } })
    assert.equal(res.status, 200, await res.clone().text())
  }
  const registration = await cloud.api('/api/v1/agents/registration-tokens', { method: 'POST' })
  token('agent registration token', ((await registration.json()) as { token: string }).token)
  token('admin token', cloud.token)
  token('second tenant admin token', (await cloud.otherTenant('fabrikam')).token)

  const inAuditLog = ['data-dir:idbridge.db', 'store-table:audit_events']
  const passwords: KnownSecret[] = Object.entries(p).map(([label, value]) => ({
    label,
    value,
    kind: 'password',
    ...(label === 'typedAsUserName' ? { allowedIn: inAuditLog } : {}),
  }))
  return [...passwords, ...tokens]
}
