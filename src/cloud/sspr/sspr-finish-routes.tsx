/** @module SSPR steps 4–6: reset or unlock, the new password twice, and the result in the same page load. */
import type { Context, Hono } from 'hono'
import { IdbridgeError } from '../../errors/idbridge-error.ts'
import type { CloudDeps, CloudEnv } from '../web/cloud-deps.ts'
import { csrfToken } from '../web/form-csrf.ts'
import { SsprActionPage, SsprPasswordPage } from '../web/pages/sspr-password-page.tsx'
import { SsprResultPage } from '../web/pages/sspr-result-page.tsx'
import { endFlow, loadFlow, saveFlow } from './sspr-flow-cookie.ts'
import { formError } from './sspr-form-error.ts'
import { throttleFlow } from './sspr-throttle.ts'

/** Errors the user can fix by typing another password: the form comes back with the alert. */
const retryable = new Set([
  'SSPR_PASSWORD_MISMATCH',
  'SSPR_PASSWORD_INVALID',
  'SSPR_BANNED_PASSWORD',
  'SSPR_BANNED_PASSWORD_CUSTOM',
  'SSPR_CLOUD_POLICY',
  'SSPR_ONPREM_POLICY',
])

export function registerSsprFinishRoutes(pages: Hono<CloudEnv>, deps: CloudDeps): void {
  const flowAt = async (c: Context<CloudEnv>, step: 'action' | 'password') => {
    const flow = await loadFlow(c, deps)
    if (flow.state.step !== step || !flow.state.userId) {
      throw new IdbridgeError('SSPR_FLOW_EXPIRED', { detail: `expected ${step}, at ${flow.state.step}` })
    }
    const user = await deps.store.users.get(c.get('tenant').id, flow.state.userId)
    if (!user) throw new IdbridgeError('SSPR_FLOW_EXPIRED', { detail: 'the user was deleted meanwhile' })
    return { flow, user }
  }
  const actor = (c: Context<CloudEnv>, upn: string) => ({ name: upn, correlationId: c.get('correlationId') })

  pages.get('/:tenant/sspr/action', async (c) => {
    await flowAt(c, 'action')
    return c.html(<SsprActionPage tenant={c.get('tenant')} csrf={csrfToken(c)} />)
  })

  pages.post('/:tenant/sspr/action', async (c) => {
    const { flow, user } = await flowAt(c, 'action')
    const tenant = c.get('tenant')
    const form = await c.req.parseBody()
    if (form.action !== 'unlock') {
      await saveFlow(deps, flow, { ...flow.state, step: 'password', action: 'reset' })
      return c.redirect(`/t/${tenant.name}/sspr/password`, 303)
    }
    await saveFlow(deps, flow, { ...flow.state, step: 'done', action: 'unlock' })
    const result = await deps.passwords.unlockBySelf(tenant, user, actor(c, user.userPrincipalName))
    await endFlow(c, deps, flow)
    return result.ok
      ? c.html(<SsprResultPage tenant={tenant} kind="unlock" outcome={result.value} />)
      : c.html(<SsprResultPage tenant={tenant} kind="unlock" error={formError(c, result.error)} />, result.error.status as 400)
  })

  pages.get('/:tenant/sspr/password', async (c) => {
    const { user } = await flowAt(c, 'password')
    return c.html(
      <SsprPasswordPage tenant={c.get('tenant')} csrf={csrfToken(c)} onPremises={Boolean(user.onPremises?.syncEnabled)} />,
    )
  })

  pages.post('/:tenant/sspr/password', async (c) => {
    const { flow, user } = await flowAt(c, 'password')
    const tenant = c.get('tenant')
    const form = await c.req.parseBody()
    const password = typeof form.newPassword === 'string' ? form.newPassword : ''
    const confirmation = typeof form.confirmPassword === 'string' ? form.confirmPassword : ''
    const again = (error: IdbridgeError) =>
      c.html(
        <SsprPasswordPage
          tenant={tenant}
          csrf={csrfToken(c)}
          onPremises={Boolean(user.onPremises?.syncEnabled)}
          error={formError(c, error)}
        />,
        error.status as 400,
      )
    const candidate = deps.passwords.checkCandidate(tenant, user, password, confirmation)
    if (!candidate.ok) {
      await deps.passwords.recordRefusal(tenant, user, actor(c, user.userPrincipalName), 'reset', candidate.error)
      return again(candidate.error)
    }
    // Only resets that would leave the tenant count: a typo in the confirmation costs nothing.
    await throttleFlow(deps.store, tenant.id, flow.state, 'reset', {
      now: deps.clock.now(),
      correlationId: c.get('correlationId'),
    })
    // The step moves on before AD is asked, so a double submit cannot send the reset twice.
    const sending = await saveFlow(deps, flow, { ...flow.state, step: 'done' })
    const result = await deps.passwords.resetBySelf(tenant, user, password, actor(c, user.userPrincipalName))
    if (!result.ok && retryable.has(result.error.code)) {
      await saveFlow(deps, sending, { ...flow.state, step: 'password' })
      return again(result.error)
    }
    await endFlow(c, deps, sending)
    return result.ok
      ? c.html(<SsprResultPage tenant={tenant} kind="reset" outcome={result.value} />)
      : c.html(<SsprResultPage tenant={tenant} kind="reset" error={formError(c, result.error)} />, result.error.status as 400)
  })
}
