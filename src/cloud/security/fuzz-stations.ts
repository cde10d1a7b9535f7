/** @module Test support: the portal's pages put in the state their forms expect, for the input fuzzer. */
import { randomBytes } from 'node:crypto'
import { totpCode } from '../../crypto/totp.ts'
import type { User } from '../../store/store-records.ts'
import { addUser, enableSspr, ResetWalker, synced } from '../sspr/sspr-test-support.ts'
import { BrowserSession } from '../web/browser-session.ts'
import type { TestCloud } from '../web/test-cloud-app.ts'

/** A page with forms, opened fresh for each case, and values that pass its checks. */
export interface Station {
  readonly name: string
  open(): Promise<{ browser: BrowserSession; page: string; html: string; valid: Record<string, string> }>
}

// The clock moves past the hourly throttle window before each flow, so a few users are enough.
const POOL = 4

/**
 * Users and browsers behind the stations. SSPR stations take the next user of a small pool and
 * move the clock past the hourly throttle window, so fuzzing never blocks the flow it means to reach.
 */
export class FuzzPortal {
  readonly cloud: TestCloud
  /** The signed-in user's password; the test puts it back when a fuzz case changed it. */
  readonly password = 'Fz-Portal-Initial-1!'
  #signedIn: BrowserSession | undefined
  #cloudPool: User[] = []
  #syncedPool: User[] = []
  #own: User[] = []
  #turn = 0
  #passwords = 0

  private constructor(cloud: TestCloud) {
    this.cloud = cloud
  }

  static async create(cloud: TestCloud): Promise<FuzzPortal> {
    const portal = new FuzzPortal(cloud)
    await enableSspr(cloud)
    portal.#own.push(await addUser(cloud, 'fz-me@contoso.test', {}, portal.password))
    portal.#own.push(await addUser(cloud, 'fz-signin@contoso.test', {}, 'Fz-Signin-Pass-2!'))
    for (let i = 0; i < POOL; i++) {
      portal.#cloudPool.push(await addUser(cloud, `fz-pool-${i}@contoso.test`))
      portal.#syncedPool.push(await addUser(cloud, `fz-synced-${i}@contoso.test`, synced(randomBytes(16).toString('base64'))))
    }
    return portal
  }

  /** The users the stations act as: their credentials and security info are what forms change. */
  userIds(): string[] {
    return [...this.#own, ...this.#cloudPool, ...this.#syncedPool].map((u) => u.id)
  }

  /** The signed-in browser, signing in again when a case ended or revoked its session. */
  async signedIn(): Promise<BrowserSession> {
    if (this.#signedIn && (await this.#signedIn.get('/t/contoso/me')).status === 200) return this.#signedIn
    const browser = new BrowserSession(this.cloud.app)
    await browser.get('/t/contoso/signin')
    let res = await browser.post('/t/contoso/signin', { username: 'fz-me@contoso.test', password: this.password })
    if (res.status === 429) {
      // Fuzzed wrong current passwords count towards smart lockout; its longest lock is 30 minutes.
      this.cloud.clock.advance(31 * 60_000)
      res = await browser.post('/t/contoso/signin', { username: 'fz-me@contoso.test', password: this.password })
    }
    if (res.status !== 303) throw new Error(`the fuzz user cannot sign in again (${res.status})`)
    this.#signedIn = browser
    return browser
  }

  /** A reset flow for the next pool user, standing at `step`. */
  async resetFlow(step: 'identify' | 'gates' | 'answer' | 'action' | 'password'): Promise<ResetWalker> {
    this.cloud.clock.advance(61 * 60_000)
    const turn = this.#turn++ % POOL
    const user = (step === 'action' ? this.#syncedPool : this.#cloudPool)[turn]!
    const walk = new ResetWalker(this.cloud)
    if (step === 'identify') return walk
    await walk.identify(user.userPrincipalName)
    if (step === 'gates') return walk
    if (step === 'answer') {
      await walk.browser.post('/t/contoso/sspr/verify', { method: 'email' })
      return walk
    }
    const passed = await walk.passGate('email')
    if (!passed.headers.get('location')?.endsWith(`/sspr/${step}`)) {
      throw new Error(`the reset flow of ${user.userPrincipalName} did not reach ${step}: ${passed.status} ${passed.headers.get('location')}`)
    }
    return walk
  }

  stations(): Station[] {
    const page = async (browser: BrowserSession, path: string) => (await browser.get(path)).text()
    const cloud = this.cloud
    const lastCode = () => cloud.verification.mailer.sent.at(-1)?.text.match(/code is (\d{8})/)?.[1] ?? ''
    // A fresh valid password per case: history and "same as before" rules must not refuse the control value.
    const fresh = () => `Fz-New-${++this.#passwords}-Quartz9!`
    return [
      {
        name: 'sign-in',
        open: async () => {
          const browser = new BrowserSession(cloud.app)
          const at = '/t/contoso/signin?returnTo=%2Ft%2Fcontoso%2Fme'
          return { browser, page: at, html: await page(browser, at), valid: { username: 'fz-signin@contoso.test', password: 'Fz-Signin-Pass-2!' } }
        },
      },
      {
        name: 'account',
        open: async () => {
          const browser = await this.signedIn()
          return { browser, page: '/t/contoso/me', html: await page(browser, '/t/contoso/me'), valid: {} }
        },
      },
      {
        name: 'security info',
        open: async () => {
          const browser = await this.signedIn()
          const at = '/t/contoso/me/security-info'
          const html = await page(browser, at)
          const secret = /name="secret" value="([A-Z2-7]{32})"/.exec(html)?.[1] ?? ''
          const valid = {
            email: 'fz@home.test',
            phone: '+1 425 555 0100',
            code: secret ? totpCode(secret, cloud.clock.now()) : '',
            question0: 'city-met-partner',
            question1: 'city-parents-met',
            question2: 'city-first-job',
            answer0: 'Porto Alegre',
            answer1: 'Valparaiso',
            answer2: 'Reykjavik',
          }
          return { browser, page: at, html, valid }
        },
      },
      {
        name: 'change password',
        open: async () => {
          const browser = await this.signedIn()
          const at = '/t/contoso/me/password?required=1'
          const html = await page(browser, at)
          const newPassword = fresh()
          return { browser, page: at, html, valid: { currentPassword: this.password, newPassword, confirmPassword: newPassword } }
        },
      },
      ...(['identify', 'gates', 'answer', 'action', 'password'] as const).map((step) => ({
        name: `reset: ${step}`,
        open: async () => {
          const walk = await this.resetFlow(step)
          const path = { identify: '/sspr', gates: '/sspr/verify', answer: '/sspr/verify', action: '/sspr/action', password: '/sspr/password' }[step]
          const at = `/t/contoso${path}`
          const html = await page(walk.browser, at)
          const captcha = cloud.verification.captcha.issued.at(-1) ?? ''
          const newPassword = fresh()
          const valid = {
            userId: 'fz-pool-0@contoso.test',
            captcha,
            method: 'email',
            code: lastCode(),
            action: 'reset',
            newPassword,
            confirmPassword: newPassword,
          }
          return { browser: walk.browser, page: at, html, valid }
        },
      })),
    ]
  }
}
