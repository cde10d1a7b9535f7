/** @module Signed-in pages: register SSPR methods (security info) and change the password with the old one. */
import type { Context, Hono } from 'hono'
import { setCookie } from 'hono/cookie'
import { generateTotpSecret, totpUri, verifyTotp } from '../../crypto/totp.ts'
import { IdbridgeError } from '../../errors/idbridge-error.ts'
import type { SecurityInfo } from '../../store/sspr-records.ts'
import type { User } from '../../store/store-records.ts'
import { activities, categories, services } from '../audit/audit-activities.ts'
import { createSession } from '../auth/sessions.ts'
import { normalizePhone } from '../notify/sms-sender.ts'
import type { CloudDeps, CloudEnv } from '../web/cloud-deps.ts'
import { csrfToken } from '../web/form-csrf.ts'
import { ChangePasswordPage, SecurityInfoPage } from '../web/pages/security-info-page.tsx'
import { hashSecurityAnswer, securityQuestions, validateSecurityAnswers } from './security-questions.ts'
import { formError } from './sspr-form-error.ts'

const empty = (now: number): SecurityInfo => ({ email: null, phone: null, totp: null, questions: [], updatedAt: now })

export function registerSecurityInfoRoutes(
  pages: Hono<CloudEnv>,
  deps: CloudDeps,
  signedIn: (c: Context<CloudEnv>) => Promise<User | undefined>,
  toSignIn: (c: Context<CloudEnv>) => Response,
  sessionCookie: string,
): void {
  const page = async (c: Context<CloudEnv>, user: User, extra: { message?: string; error?: IdbridgeError } = {}) => {
    const tenant = c.get('tenant')
    const secret = generateTotpSecret()
    return c.html(
      <SecurityInfoPage
        tenant={tenant}
        user={user}
        csrf={csrfToken(c)}
        info={await deps.store.securityInfo.get(tenant.id, user.id)}
        questions={securityQuestions}
        newTotp={{ secret, uri: totpUri({ issuer: tenant.displayName, account: user.userPrincipalName, secret }) }}
        message={extra.message}
        error={extra.error && formError(c, extra.error)}
      />,
      extra.error ? (extra.error.status as 400) : 200,
    )
  }
  const requireUser = async (c: Context<CloudEnv>) => {
    const user = await signedIn(c)
    if (!user) throw new IdbridgeError('IDB_ERR_UNAUTHENTICATED', { detail: 'security info needs a session' })
    return user
  }

  /** Saves one method and audits it; the values never go to the audit log. */
  const save = async (c: Context<CloudEnv>, user: User, change: Partial<SecurityInfo>, method: string) => {
    const tenant = c.get('tenant')
    const now = deps.clock.now()
    const current = (await deps.store.securityInfo.get(tenant.id, user.id)) ?? empty(now)
    await deps.store.securityInfo.put(tenant.id, user.id, { ...current, ...change, updatedAt: now })
    await deps.store.audit.append({
      tenantId: tenant.id,
      activity: activities.securityInfoSaved,
      service: services.sspr,
      category: categories.user,
      actor: user.userPrincipalName,
      target: user.userPrincipalName,
      result: 'success',
      failureReason: null,
      correlationId: c.get('correlationId'),
      details: { userId: user.id, method },
    })
    return page(c, user, { message: 'Saved.' })
  }

  pages.get('/:tenant/me/security-info', async (c) => {
    const user = await signedIn(c)
    if (!user) return toSignIn(c)
    return page(c, user)
  })

  pages.post('/:tenant/me/security-info/:method', async (c) => {
    const user = await requireUser(c)
    const form = await c.req.parseBody()
    const field = (key: string) => (typeof form[key] === 'string' ? (form[key] as string).trim().slice(0, 256) : '')
    const invalid = (detail: string) => page(c, user, { error: new IdbridgeError('IDB_ERR_INVALID_INPUT', { detail }) })
    switch (c.req.param('method')) {
      case 'email': {
        const email = field('email')
        if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) return invalid('Enter an email address such as name@example.com.')
        return save(c, user, { email }, 'email')
      }
      case 'phone': {
        const phone = normalizePhone(field('phone'))
        if (!phone) return invalid('Enter a phone number with its country code, such as +1 4255550100.')
        return save(c, user, { phone }, 'phone')
      }
      case 'app': {
        const secret = field('secret')
        const checked = /^[A-Z2-7]{32}$/.test(secret) ? verifyTotp(secret, field('code'), deps.clock.now()) : undefined
        if (!checked?.ok) return invalid('The code from the app did not match. Check the time on your phone and try again.')
        return save(c, user, { totp: { secret, lastStep: checked.step } }, 'app')
      }
      case 'questions': {
        if (user.roles.some((r) => r.endsWith('Administrator'))) {
          return invalid('Administrators cannot use security questions.')
        }
        const entries = [0, 1, 2].map((i) => ({ questionId: field(`question${i}`), answer: field(`answer${i}`) }))
        const valid = validateSecurityAnswers(entries, { minCount: 3 })
        if (!valid.ok) {
          return invalid(
            `Check the questions and answers: ${valid.error.problems.map((p) => `${p.index + 1} ${p.reason}`).join(', ')}.`,
          )
        }
        const questions = await Promise.all(
          valid.value.map(async (e) => ({ id: e.questionId, answerHash: await hashSecurityAnswer(e.answer) })),
        )
        return save(c, user, { questions }, 'questions')
      }
      default:
        throw new IdbridgeError('IDB_ERR_NOT_FOUND', { detail: 'no such method' })
    }
  })

  pages.get('/:tenant/me/password', async (c) => {
    const user = await signedIn(c)
    if (!user) return toSignIn(c)
    const required = (await deps.store.credentials.get(user.tenantId, user.id))?.mustChange ?? false
    return c.html(<ChangePasswordPage tenant={c.get('tenant')} csrf={csrfToken(c)} required={required} />)
  })

  pages.post('/:tenant/me/password', async (c) => {
    const user = await requireUser(c)
    const tenant = c.get('tenant')
    const form = await c.req.parseBody()
    const value = (key: string) => (typeof form[key] === 'string' ? (form[key] as string) : '')
    const fail = (error: IdbridgeError) =>
      c.html(<ChangePasswordPage tenant={tenant} csrf={csrfToken(c)} error={formError(c, error)} />, error.status as 400)
    const actor = { name: user.userPrincipalName, correlationId: c.get('correlationId') }
    const candidate = deps.passwords.checkCandidate(tenant, user, value('newPassword'), value('confirmPassword'))
    if (!candidate.ok) {
      await deps.passwords.recordRefusal(tenant, user, actor, 'change', candidate.error)
      return fail(candidate.error)
    }
    if (value('currentPassword').length === 0 || value('currentPassword').length > 256) {
      return fail(new IdbridgeError('SSPR_WRONG_PASSWORD', { detail: 'empty or oversized current password' }))
    }
    const changed = await deps.passwords.changeBySelf(tenant, user, value('currentPassword'), value('newPassword'), actor)
    if (!changed.ok) return fail(changed.error)
    // The change revoked every session, this one too; the user who just proved the password keeps a new one.
    const fresh = await deps.store.users.get(tenant.id, user.id)
    const token = await createSession(deps.store, deps.clock, fresh ?? user, deps.config.signIn.sessionMinutes)
    setCookie(c, sessionCookie, token, { path: '/', secure: true, httpOnly: true, sameSite: 'Lax' })
    return c.html(<ChangePasswordPage tenant={tenant} csrf={csrfToken(c)} done />)
  })
}
