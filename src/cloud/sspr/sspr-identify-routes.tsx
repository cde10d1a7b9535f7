/** @module SSPR steps 1–2: "Who are you?" with a captcha, then the eligibility checks, decoy for unknown IDs. */
import type { Context, Hono } from 'hono'
import { IdbridgeError } from '../../errors/idbridge-error.ts'
import type { Tenant, User } from '../../store/store-records.ts'
import { activities, categories, services } from '../audit/audit-activities.ts'
import type { CloudDeps, CloudEnv } from '../web/cloud-deps.ts'
import { csrfToken } from '../web/form-csrf.ts'
import { SsprIdentifyPage } from '../web/pages/sspr-identify-page.tsx'
import { captchaDigest, captchaMatches } from './captcha.ts'
import { checkEligibility } from './sspr-eligibility.ts'
import { initialFlowState, type SsprFlowState } from './sspr-flow-state.ts'
import { loadFlow, saveFlow, startFlow } from './sspr-flow-cookie.ts'
import { formError } from './sspr-form-error.ts'
import { isBlocked } from './sspr-throttle.ts'

/** A decoy gets two gates' worth of plausible methods, so its pages look like a real user's. */
const DECOY_METHODS = ['email', 'sms'] as const

export function registerSsprIdentifyRoutes(pages: Hono<CloudEnv>, deps: CloudDeps): void {
  const ssprOn = (c: Context<CloudEnv>) => {
    if (!c.get('tenant').settings.ssprEnabled) throw new IdbridgeError('SSPR_0009')
  }

  const renderIdentify = async (c: Context<CloudEnv>, userId?: string, error?: IdbridgeError) => {
    const captcha = deps.verification.captcha.create()
    await startFlow(c, deps, initialFlowState(captchaDigest(captcha.text)))
    return c.html(
      <SsprIdentifyPage
        tenant={c.get('tenant')}
        csrf={csrfToken(c)}
        captchaImage={captcha.image}
        userId={userId}
        error={error && formError(c, error)}
      />,
      error ? (error.status as 400) : 200,
    )
  }

  pages.get('/:tenant/sspr', async (c) => {
    ssprOn(c)
    return renderIdentify(c)
  })

  pages.post('/:tenant/sspr', async (c) => {
    ssprOn(c)
    const tenant = c.get('tenant')
    const form = await c.req.parseBody()
    const userId = typeof form.userId === 'string' ? form.userId.trim().slice(0, 256) : ''
    const answer = typeof form.captcha === 'string' ? form.captcha.slice(0, 20) : ''
    let flow = await loadFlow(c, deps).catch(() => undefined)
    // Each picture works once: right or wrong, the next try gets a new one (renderIdentify starts a new flow).
    const digest = flow?.state.step === 'identify' ? flow.state.captchaDigest : null
    if (flow && digest) flow = await saveFlow(deps, flow, { ...flow.state, captchaDigest: null })
    if (!flow || !digest || !captchaMatches(digest, answer)) {
      return renderIdentify(c, userId, new IdbridgeError('SSPR_CAPTCHA', { detail: flow ? 'wrong or used' : 'no flow' }))
    }
    if (!userId) return renderIdentify(c, userId, new IdbridgeError('SSPR_CAPTCHA', { detail: 'empty user ID' }))
    const subjectKey = userId.toLowerCase()
    if (await isBlocked(deps.store, tenant.id, subjectKey, deps.clock.now())) throw new IdbridgeError('SSPR_BLOCKED')
    const user = await deps.store.users.getByUserPrincipalName(tenant.id, userId)
    const next = await identify(deps, tenant, user, subjectKey, userId)
    await audit(deps, c, tenant, userId, next)
    await saveFlow(deps, flow, next.state)
    return c.redirect(`/t/${tenant.name}/sspr/verify`, 303)
  })
}

async function identify(
  deps: CloudDeps,
  tenant: Tenant,
  user: User | undefined,
  subjectKey: string,
  userPrincipalName: string,
): Promise<{ state: SsprFlowState; decoyReason: string | null }> {
  const base: SsprFlowState = {
    ...initialFlowState(''),
    captchaDigest: null,
    step: 'gates',
    subjectKey,
    userPrincipalName,
  }
  // An unknown ID reads the same tables a known one does, so the two take about as long.
  const eligibility = user
    ? await checkEligibility(deps.store, tenant, user)
    : await deps.store.securityInfo
        .get(tenant.id, 'decoy')
        .then(() => ({ ok: false, code: 'UserNotFound', detail: 'unknown user ID' }) as const)
  if (eligibility.ok && user && user.accountEnabled) {
    return {
      state: { ...base, userId: user.id, gatesRequired: eligibility.gatesRequired, methods: eligibility.methods },
      decoyReason: null,
    }
  }
  const decoyReason = eligibility.ok ? 'UserDisabled' : eligibility.code
  return {
    state: { ...base, decoyReason, gatesRequired: tenant.settings.ssprGatesRequired, methods: [...DECOY_METHODS] },
    decoyReason,
  }
}

/** The admin learns why an ID cannot reset from the audit log; the user is never told whether it exists. */
async function audit(
  deps: CloudDeps,
  c: Context<CloudEnv>,
  tenant: Tenant,
  userId: string,
  next: { decoyReason: string | null },
): Promise<void> {
  await deps.store.audit.append({
    tenantId: tenant.id,
    activity: activities.ssprProgress,
    service: services.sspr,
    category: categories.user,
    actor: userId,
    target: userId,
    result: next.decoyReason ? 'failure' : 'success',
    failureReason: next.decoyReason,
    correlationId: c.get('correlationId'),
    details: { step: next.decoyReason ? 'User could not start password reset' : 'User started password reset' },
  })
}
