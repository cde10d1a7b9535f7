/** @module The tenant's JSON admin API: settings, audit log and user actions. */
import { Hono } from 'hono'
import { z } from 'zod'
import { IdbridgeError } from '../../errors/idbridge-error.ts'
import { ROTATE_WRITEBACK_KEYS_OP } from '../../protocol/password-operation.ts'
import type { AuditEvent, Tenant } from '../../store/store-records.ts'
import { tenantSettingsPatchSchema } from '../../store/tenant-settings.ts'
import { activities, categories, services } from '../audit/audit-activities.ts'
import type { CloudDeps, CloudEnv } from './cloud-deps.ts'
import { readJson, validate } from './read-json.ts'

const isoTime = z.iso.datetime({ offset: true }).transform((s) => Date.parse(s))

const auditQuerySchema = z
  .object({
    activity: z.string().max(200).optional(),
    target: z.string().max(300).optional(),
    actor: z.string().max(300).optional(),
    result: z.enum(['success', 'failure']).optional(),
    correlationId: z.string().max(100).optional(),
    since: isoTime.optional(),
    until: isoTime.optional(),
    before: z
      .string()
      .regex(/^[0-9a-z]{28}$/, 'an audit event id')
      .optional(),
    limit: z.coerce.number().int().min(1).max(500).default(100),
  })
  .strict()

const passwordResetSchema = z
  .object({ password: z.string().min(1).max(256), forceChangePasswordNextSignIn: z.boolean().default(false) })
  .strict()

export function tenantView(tenant: Tenant) {
  return {
    id: tenant.id,
    name: tenant.name,
    displayName: tenant.displayName,
    domain: tenant.domain,
    settings: tenant.settings,
  }
}

const auditView = (e: AuditEvent) => ({ ...e, at: new Date(e.at).toISOString() })

export function adminApiRoutes(deps: CloudDeps): Hono<CloudEnv> {
  const api = new Hono<CloudEnv>()
  const actorOf = (c: { get(key: 'correlationId'): string }) => ({
    name: 'admin-api',
    correlationId: c.get('correlationId'),
  })

  api.get('/tenant', (c) => c.json(tenantView(c.get('tenant'))))

  api.patch('/tenant/settings', async (c) => {
    const tenant = c.get('tenant')
    const patch = await readJson(c, tenantSettingsPatchSchema)
    const writebackTurned =
      patch.passwordWritebackEnabled !== undefined && patch.passwordWritebackEnabled !== tenant.settings.passwordWritebackEnabled
    const updated = await deps.store.transaction(async (tx) => {
      const next = await tx.tenants.updateSettings(tenant.id, { ...tenant.settings, ...patch })
      if (!next) return { ok: false, error: new IdbridgeError('IDB_ERR_TENANT_NOT_FOUND') }
      const audit = (activity: string, service: string, details: Record<string, string>) =>
        tx.audit.append({
          tenantId: tenant.id,
          activity,
          service,
          category: categories.directory,
          actor: 'admin-api',
          target: tenant.name,
          result: 'success',
          failureReason: null,
          correlationId: c.get('correlationId'),
          details,
        })
      await audit(activities.updateTenantSettings, services.coreDirectory, { changed: Object.keys(patch).join(',') })
      if (writebackTurned) {
        const activity = next.settings.passwordWritebackEnabled ? activities.enableWriteback : activities.disableWriteback
        await audit(activity, services.sspr, {})
      }
      return { ok: true, value: next }
    })
    if (!updated.ok) throw updated.error
    // As in the reference, turning writeback back on rolls the agents' writeback keys.
    if (writebackTurned && updated.value.settings.passwordWritebackEnabled) await deps.askOnlineAgents?.(tenant.id, ROTATE_WRITEBACK_KEYS_OP)
    return c.json(tenantView(updated.value))
  })

  api.get('/audit', async (c) => {
    const query = validate(auditQuerySchema, c.req.query())
    const events = await deps.store.audit.list(c.get('tenant').id, query)
    const last = events.length === query.limit ? events[events.length - 1] : undefined
    return c.json({ events: events.map(auditView), next: last ? last.id : null })
  })

  api.post('/users/:id/revoke-sessions', async (c) => {
    const result = await deps.users.revokeSessions(c.get('tenant'), c.req.param('id'), actorOf(c))
    if (!result.ok) throw result.error
    return c.json({ id: result.value.id, sessionsValidFrom: new Date(result.value.sessionsValidFrom).toISOString() })
  })

  api.post('/users/:id/password', async (c) => {
    const tenant = c.get('tenant')
    const body = await readJson(c, passwordResetSchema)
    const user = await deps.store.users.get(tenant.id, c.req.param('id'))
    if (!user) throw new IdbridgeError('IDB_ERR_NOT_FOUND', { detail: `user ${c.req.param('id')}` })
    if (user.onPremises?.syncEnabled && !tenant.settings.passwordWritebackEnabled) {
      throw new IdbridgeError('SSPR_0010', {
        detail: `the password of ${user.userPrincipalName} is managed in Active Directory and writeback is off`,
      })
    }
    const candidate = deps.passwords.checkCandidate(tenant, user, body.password)
    if (!candidate.ok) throw candidate.error
    const result = await deps.passwords.resetByAdmin(
      tenant,
      user,
      body.password,
      { forceChangePasswordNextSignIn: body.forceChangePasswordNextSignIn },
      actorOf(c),
    )
    if (!result.ok) throw result.error
    return c.json(result.value)
  })

  return api
}
