/** @module Test support: users with registered methods, and a browser that walks the reset flow. */
import assert from 'node:assert/strict'
import type { NewUser, User } from '../../store/store-records.ts'
import { type Clock, systemClock } from '../../time/clock.ts'
import type { RunningCloud } from '../start-cloud.ts'
import { UserDirectory } from '../users/user-directory.ts'
import { BrowserSession } from '../web/browser-session.ts'
import type { TestCloud } from '../web/test-cloud-app.ts'
import { PasswordService } from './password-service.ts'
import { newUserFixture } from '../../store/new-user-fixture.ts'

export async function addUser(cloud: TestCloud, upn: string, extra: Partial<NewUser> = {}, password?: string): Promise<User> {
  const created = await cloud.deps.users.create(
    cloud.tenant,
    newUserFixture({
      userPrincipalName: upn,
      givenName: 'Cleo',
      surname: 'Moss',
      displayName: upn,
      mail: upn,
      ...extra,
    }),
    { name: 'test', correlationId: 'setup', isSync: true },
    password,
  )
  if (!created.ok) throw created.error
  await cloud.store.securityInfo.put(cloud.tenant.id, created.value.id, {
    email: `${upn.split('@')[0]}@home.test`,
    phone: '+14255550123',
    totp: null,
    questions: [],
    updatedAt: cloud.clock.now(),
  })
  return created.value
}

export const synced = (anchor: string): Partial<NewUser> => ({
  onPremises: {
    immutableId: anchor,
    distinguishedName: `CN=${anchor},OU=Sync,DC=contoso,DC=test`,
    samAccountName: anchor.slice(0, 8),
    syncEnabled: true,
  },
})

/** A browser that knows the captcha answers and reads the codes the portal sent. */
export class ResetWalker {
  readonly browser: BrowserSession
  readonly #cloud: TestCloud
  constructor(cloud: TestCloud) {
    this.#cloud = cloud
    this.browser = new BrowserSession(cloud.app)
  }

  /** "Who are you?" with the right captcha answer, typed in lower case. */
  async identify(userId: string): Promise<Response> {
    const page = await this.browser.get('/t/contoso/sspr')
    assert.equal(page.status, 200)
    const answer = this.#cloud.verification.captcha.issued.at(-1)!.toLowerCase()
    return this.browser.post('/t/contoso/sspr', { userId, captcha: answer })
  }

  /** Chooses a method and types the code that reached the user (or `code` when given). */
  async passGate(method: 'email' | 'sms', code?: string): Promise<Response> {
    const chosen = await this.browser.post('/t/contoso/sspr/verify', { method })
    assert.equal(chosen.status, 200, await chosen.clone().text())
    const { mailer, sms } = this.#cloud.verification
    const text = method === 'email' ? mailer.sent.at(-1)?.text : sms.sent.at(-1)?.text
    const sent = text?.match(/code is (\d{8})/)?.[1]
    return this.browser.post('/t/contoso/sspr/verify/answer', { code: code ?? sent ?? '00000000' })
  }

  async submitPassword(newPassword: string, confirmPassword = newPassword): Promise<Response> {
    return this.browser.post('/t/contoso/sspr/password', { newPassword, confirmPassword })
  }
}

/** Turns on SSPR and writeback for the test tenant, with any other settings a test needs. */
export async function enableSspr(cloud: TestCloud, extra: Partial<TestCloud['tenant']['settings']> = {}): Promise<void> {
  await cloud.store.tenants.updateSettings(cloud.tenant.id, {
    ...cloud.tenant.settings,
    ssprEnabled: true,
    passwordWritebackEnabled: true,
    ...extra,
  })
}

/** A synced user with `anchor` on a running tenant node, as the directory sync would create it. */
export async function addSyncedUser(cloud: Pick<RunningCloud, 'store' | 'tenant'>, anchor: string): Promise<User> {
  const upn = `fault-${anchor.replace(/[^a-z0-9]/gi, '').slice(0, 10).toLowerCase()}@contoso.test`
  const created = await new UserDirectory(cloud.store, systemClock).create(
    cloud.tenant,
    newUserFixture({
      userPrincipalName: upn,
      givenName: 'Fay',
      surname: 'Ult',
      displayName: upn,
      mail: upn,
      onPremises: synced(anchor).onPremises ?? null,
    }),
    { name: 'test', correlationId: 'setup', isSync: true },
  )
  if (!created.ok) throw created.error
  return created.value
}

/**
 * The PasswordService a running node's portal calls for the reset step: its result is what the
 * result page shows (an SSPR_ code, with the agent's code in `data.agentCode`) and what it audits.
 */
export function portalPasswords(cloud: Pick<RunningCloud, 'store' | 'relay'>, waitMs: number, clock: Clock = systemClock) {
  return new PasswordService({ store: cloud.store, clock, relay: cloud.relay, waitMs })
}
