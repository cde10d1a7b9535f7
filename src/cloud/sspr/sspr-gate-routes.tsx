/** @module SSPR step 3: the verification gates. A decoy flow walks the same pages and never passes. */
import { randomInt } from 'node:crypto'
import type { Context, Hono } from 'hono'
import { verifyTotp } from '../../crypto/totp.ts'
import { IdbridgeError } from '../../errors/idbridge-error.ts'
import type { SecurityInfo } from '../../store/sspr-records.ts'
import { activities, categories, services } from '../audit/audit-activities.ts'
import type { CloudDeps, CloudEnv } from '../web/cloud-deps.ts'
import { csrfToken } from '../web/form-csrf.ts'
import { type GateChoice, SsprGatePage } from '../web/pages/sspr-gate-page.tsx'
import { decoyDestinations, maskEmail, maskPhone } from './masked-destination.ts'
import { checkOneTimeCode, issueOneTimeCode } from './one-time-code.ts'
import { securityQuestions, verifySecurityAnswer } from './security-questions.ts'
import type { SsprFlowState, VerificationMethod } from './sspr-flow-state.ts'
import { type LoadedFlow, loadFlow, saveFlow } from './sspr-flow-cookie.ts'
import { formError } from './sspr-form-error.ts'
import { type AttemptKind, isBlocked, throttleFlow } from './sspr-throttle.ts'

// Checked when the flow is a decoy, so a wrong answer costs the same scrypt either way.
const decoyAnswerHash = 'scrypt$16384$8$1$ZGVjb3ktc2FsdC0xMjM0NQ==$ckKAprcC5iLoSH7SHpntIW7NBr8PDmBSpPs4Wc8jcII='

export function registerSsprGateRoutes(pages: Hono<CloudEnv>, deps: CloudDeps): void {
  const gateFlow = async (c: Context<CloudEnv>) => {
    const flow = await loadFlow(c, deps)
    if (flow.state.step !== 'gates') throw new IdbridgeError('SSPR_FLOW_EXPIRED', { detail: `at ${flow.state.step}` })
    const info = flow.state.userId ? await deps.store.securityInfo.get(c.get('tenant').id, flow.state.userId) : undefined
    return { flow, info }
  }

  const render = (c: Context<CloudEnv>, flow: LoadedFlow, info: SecurityInfo | undefined, error?: IdbridgeError) => {
    const { state } = flow
    const tenant = c.get('tenant')
    const decoy = decoyDestinations(state.subjectKey ?? '', Buffer.from(tenant.id))
    const label = (method: VerificationMethod): string => {
      if (method === 'email') return `Email my alternate email (${info?.email ? maskEmail(info.email) : decoy.email})`
      if (method === 'sms') return `Text my mobile phone (${info?.phone ? maskPhone(info.phone) : decoy.phone})`
      if (method === 'app') return 'Enter a code from my authenticator app'
      return 'Answer my security questions'
    }
    const choices: GateChoice[] = state.methods
      .filter((m) => !state.passed.includes(m))
      .map((method) => ({ method, label: label(method) }))
    const pending = state.pending && {
      method: state.pending.method,
      prompt:
        state.pending.method === 'app'
          ? 'Enter the 6-digit code shown in your authenticator app.'
          : state.pending.method === 'questions'
            ? 'Answer your security questions.'
            : `We sent a verification code. It expires in 10 minutes. (${label(state.pending.method)})`,
      questions: state.pending.questionIds.map((id) => securityQuestions.find((q) => q.id === id)!),
    }
    return c.html(
      <SsprGatePage
        tenant={tenant}
        csrf={csrfToken(c)}
        gate={state.passed.length + 1}
        gates={state.gatesRequired}
        choices={choices}
        pending={pending ?? undefined}
        error={error && formError(c, error)}
      />,
      error ? (error.status as 400) : 200,
    )
  }

  const throttle = (c: Context<CloudEnv>, state: SsprFlowState, kind: AttemptKind) =>
    throttleFlow(deps.store, c.get('tenant').id, state, kind, {
      now: deps.clock.now(),
      correlationId: c.get('correlationId'),
    })

  pages.get('/:tenant/sspr/verify', async (c) => {
    const { flow, info } = await gateFlow(c)
    return render(c, flow, info)
  })

  pages.post('/:tenant/sspr/verify', async (c) => {
    const { flow, info } = await gateFlow(c)
    const form = await c.req.parseBody()
    const method = flow.state.methods.find((m) => m === form.method && !flow.state.passed.includes(m))
    if (!method) return render(c, flow, info, new IdbridgeError('SSPR_CODE_INVALID', { detail: 'no such method' }))
    if (method === 'email' || method === 'sms') await throttle(c, flow.state, 'send')
    let code: { digest: string; salt: string; expiresAt: number } | null = null
    if (method === 'email' || method === 'sms') {
      const issued = issueOneTimeCode(deps.clock.now())
      code = issued.record
      const text = `Your ${c.get('tenant').displayName} verification code is ${issued.code}. It expires in 10 minutes.`
      // A decoy sends nothing; a real send failure is the admin's to see, the user just asks again.
      if (method === 'email' && info?.email) {
        const sent = await deps.verification.mailer.send({ to: info.email, subject: 'Your verification code', text })
        if (!sent.ok) deps.logger.warn({ code: sent.error.code, detail: sent.error.detail }, 'cannot send a code')
      } else if (method === 'sms' && info?.phone) {
        const sent = await deps.verification.sms.send({ to: info.phone, text })
        if (!sent.ok) deps.logger.warn({ code: sent.error.code, detail: sent.error.detail }, 'cannot send a code')
      }
    }
    const questionIds = method !== 'questions' ? [] : info ? info.questions.map((q) => q.id).slice(0, 3) : decoyQuestionIds()
    const next = await saveFlow(deps, flow, { ...flow.state, pending: { method, code, questionIds } })
    return render(c, next, info)
  })

  pages.post('/:tenant/sspr/verify/answer', async (c) => {
    const { flow, info } = await gateFlow(c)
    const tenant = c.get('tenant')
    const pending = flow.state.pending
    if (!pending) return render(c, flow, info, new IdbridgeError('SSPR_CODE_INVALID', { detail: 'no method chosen' }))
    if (await isBlocked(deps.store, tenant.id, flow.state.subjectKey ?? '', deps.clock.now())) {
      throw new IdbridgeError('SSPR_BLOCKED', { detail: flow.state.subjectKey ?? '' })
    }
    const form = await c.req.parseBody()
    const text = (key: string) => (typeof form[key] === 'string' ? (form[key] as string).slice(0, 100) : '')
    const now = deps.clock.now()
    let verdict: 'ok' | 'expired' | 'wrong' = 'wrong'
    if (pending.method === 'email' || pending.method === 'sms') {
      verdict = pending.code ? checkOneTimeCode(pending.code, text('code'), now) : 'wrong'
    } else if (pending.method === 'app') {
      const totp = info?.totp
      const checked = totp && verifyTotp(totp.secret, text('code'), now, { lastAcceptedStep: totp.lastStep ?? undefined })
      if (checked?.ok && info && totp) {
        await deps.store.securityInfo.put(tenant.id, flow.state.userId!, { ...info, totp: { ...totp, lastStep: checked.step } })
        verdict = 'ok'
      }
    } else {
      const stored = pending.questionIds.map((id) => info?.questions.find((q) => q.id === id)?.answerHash ?? decoyAnswerHash)
      const checks = await Promise.all(stored.map((hash, i) => verifySecurityAnswer(hash, text(`answer${i}`))))
      verdict = stored.length > 0 && checks.every(Boolean) ? 'ok' : 'wrong'
    }
    // A decoy never passes, whatever was typed.
    if (!flow.state.userId) verdict = verdict === 'expired' ? 'expired' : 'wrong'
    if (verdict !== 'ok') {
      await throttle(c, flow.state, 'gateFailure')
      const next = verdict === 'expired' ? await saveFlow(deps, flow, { ...flow.state, pending: null }) : flow
      return render(c, next, info, new IdbridgeError(verdict === 'expired' ? 'SSPR_CODE_EXPIRED' : 'SSPR_CODE_INVALID'))
    }
    const passed = [...flow.state.passed, pending.method]
    const done = passed.length >= flow.state.gatesRequired
    const user = await deps.store.users.get(tenant.id, flow.state.userId!)
    const unlockOffered = tenant.settings.ssprAllowUnlockOnly && Boolean(user?.onPremises?.syncEnabled)
    await deps.store.audit.append({
      tenantId: tenant.id,
      activity: activities.ssprProgress,
      service: services.sspr,
      category: categories.user,
      actor: flow.state.userPrincipalName ?? '',
      target: flow.state.userPrincipalName ?? '',
      result: 'success',
      failureReason: null,
      correlationId: c.get('correlationId'),
      details: { userId: flow.state.userId ?? '', step: `User passed verification gate ${passed.length} (${pending.method})` },
    })
    await saveFlow(deps, flow, {
      ...flow.state,
      passed,
      pending: null,
      step: done ? (unlockOffered ? 'action' : 'password') : 'gates',
      action: done && !unlockOffered ? 'reset' : null,
    })
    return c.redirect(`/t/${tenant.name}/sspr/${done ? (unlockOffered ? 'action' : 'password') : 'verify'}`, 303)
  })
}

/** Picks three predefined questions for a decoy, so its page looks like a real one. */
export function decoyQuestionIds(): string[] {
  const ids = securityQuestions.map((q) => q.id)
  return [0, 1, 2].map(() => ids.splice(randomInt(ids.length), 1)[0]!)
}
