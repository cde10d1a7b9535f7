/** @module The tenant's server-rendered pages under /t/:tenant. */
import { type Context, Hono } from 'hono'
import { deleteCookie, getCookie, setCookie } from 'hono/cookie'
import { errorCatalogue } from '../../errors/error-catalogue.ts'
import { IdbridgeError } from '../../errors/idbridge-error.ts'
import { endSession, resolveSession } from '../auth/sessions.ts'
import { signIn } from '../auth/sign-in.ts'
import { registerSecurityInfoRoutes } from '../sspr/security-info-routes.tsx'
import { registerSsprFinishRoutes } from '../sspr/sspr-finish-routes.tsx'
import { registerSsprGateRoutes } from '../sspr/sspr-gate-routes.tsx'
import { registerSsprIdentifyRoutes } from '../sspr/sspr-identify-routes.tsx'
import type { CloudDeps, CloudEnv } from './cloud-deps.ts'
import { csrfToken, requireFormToken } from './form-csrf.ts'
import { AccountPage } from './pages/account-page.tsx'
import { AdminPage } from './pages/admin-page.tsx'
import { SignInPage } from './pages/sign-in-page.tsx'
import { TenantHomePage } from './pages/tenant-home-page.tsx'

export const SESSION_COOKIE = '__Host-idb_session'

/**
 * Only a path inside this tenant's pages: never another host, never a protocol-relative URL, and
 * checked after dot segments are resolved, as the browser will resolve them.
 */
function safeReturnTo(tenantName: string, value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length > 300) return undefined
  const prefix = `/t/${tenantName}/`
  if (!value.startsWith(prefix) || /\/\/|\\|%2e|%2f|%5c/i.test(value) || !/^[\x20-\x7e]+$/.test(value)) return undefined
  const resolved = new URL(value, 'https://return-to.invalid')
  if (resolved.host !== 'return-to.invalid' || !resolved.pathname.startsWith(prefix)) return undefined
  return `${resolved.pathname}${resolved.search}`
}

export function pageRoutes(deps: CloudDeps): Hono<CloudEnv> {
  const pages = new Hono<CloudEnv>()
  const lockout = {
    threshold: deps.config.signIn.lockoutThreshold,
    baseLockMs: deps.config.signIn.lockoutSeconds * 1000,
    maxLockMs: 30 * 60_000,
  }

  pages.use('/:tenant/*', async function tenantFromPath(c, next) {
    const tenant = await deps.store.tenants.getByName(c.req.param('tenant') ?? '')
    if (!tenant) throw new IdbridgeError('IDB_ERR_TENANT_NOT_FOUND', { detail: c.req.param('tenant') })
    c.set('tenant', tenant)
    return next()
  })
  pages.use('/:tenant/*', requireFormToken())

  const signedIn = async (c: Context<CloudEnv>) => {
    const token = getCookie(c, SESSION_COOKIE)
    if (!token) return undefined
    const result = await resolveSession(deps.store, deps.clock, c.get('tenant').id, token)
    return result.ok ? result.value.user : undefined
  }
  const toSignIn = (c: Context<CloudEnv>) =>
    c.redirect(`/t/${c.get('tenant').name}/signin?returnTo=${encodeURIComponent(c.req.path)}`, 303)

  pages.get('/:tenant', (c) => c.html(<TenantHomePage tenant={c.get('tenant')} />))

  pages.get('/:tenant/signin', (c) => {
    const tenant = c.get('tenant')
    return c.html(
      <SignInPage tenant={tenant} csrf={csrfToken(c)} returnTo={safeReturnTo(tenant.name, c.req.query('returnTo'))} />,
    )
  })

  pages.post('/:tenant/signin', async (c) => {
    const tenant = c.get('tenant')
    const form = await c.req.parseBody()
    const username = typeof form.username === 'string' ? form.username.trim().slice(0, 256) : ''
    const password = typeof form.password === 'string' ? form.password : ''
    const returnTo = safeReturnTo(tenant.name, form.returnTo)
    const result =
      username && password && password.length <= 256
        ? await signIn(
            {
              store: deps.store,
              clock: deps.clock,
              lockout,
              sessionMinutes: deps.config.signIn.sessionMinutes,
              passThrough: (user, secret) => deps.passwords.verifyOnPremises(tenant, user, secret),
            },
            { tenant, userPrincipalName: username, password, correlationId: c.get('correlationId') },
          )
        : {
            ok: false as const,
            error: new IdbridgeError('IDB_ERR_SIGNIN_FAILED', { detail: 'empty or oversized field' }),
          }
    if (!result.ok) {
      const code = result.error.code
      return c.html(
        <SignInPage
          tenant={tenant}
          csrf={csrfToken(c)}
          userPrincipalName={username}
          returnTo={returnTo}
          error={{ message: errorCatalogue[code].message, code, supportCode: c.get('correlationId') }}
        />,
        code === 'IDB_ERR_SIGNIN_LOCKED' ? 429 : code === 'IDB_ERR_SIGNIN_UNAVAILABLE' ? 503 : 401,
      )
    }
    setCookie(c, SESSION_COOKIE, result.value.sessionToken, {
      path: '/',
      secure: true,
      httpOnly: true,
      sameSite: 'Lax',
      maxAge: deps.config.signIn.sessionMinutes * 60,
    })
    if (result.value.mustChangePassword) return c.redirect(`/t/${tenant.name}/me/password?required=1`, 303)
    return c.redirect(returnTo ?? `/t/${tenant.name}/me`, 303)
  })

  pages.post('/:tenant/signout', async (c) => {
    const token = getCookie(c, SESSION_COOKIE)
    if (token) await endSession(deps.store, token)
    deleteCookie(c, SESSION_COOKIE, { path: '/', secure: true })
    return c.redirect(`/t/${c.get('tenant').name}/signin`, 303)
  })

  pages.get('/:tenant/me', async (c) => {
    const user = await signedIn(c)
    if (!user) return toSignIn(c)
    if ((await deps.store.credentials.get(user.tenantId, user.id))?.mustChange) {
      return c.redirect(`/t/${c.get('tenant').name}/me/password?required=1`, 303)
    }
    const groups = await deps.store.groups.listGroupsOfUser(user.tenantId, user.id)
    return c.html(<AccountPage tenant={c.get('tenant')} user={user} groups={groups} csrf={csrfToken(c)} />)
  })

  pages.get('/:tenant/admin', async (c) => {
    const user = await signedIn(c)
    if (!user) return toSignIn(c)
    if (!user.roles.includes('GlobalAdministrator'))
      throw new IdbridgeError('IDB_ERR_FORBIDDEN', { detail: 'admin page' })
    const tenant = c.get('tenant')
    const { users, total } = await deps.store.users.list(tenant.id, { offset: 0, limit: 200 })
    const audit = await deps.store.audit.list(tenant.id, { limit: 50 })
    return c.html(<AdminPage tenant={tenant} users={users} total={total} audit={audit} />)
  })

  registerSecurityInfoRoutes(pages, deps, signedIn, toSignIn, SESSION_COOKIE)
  registerSsprIdentifyRoutes(pages, deps)
  registerSsprGateRoutes(pages, deps)
  registerSsprFinishRoutes(pages, deps)

  return pages
}
