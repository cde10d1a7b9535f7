/** @module Admin API for password hash sync: per-user health, and a full resync of every password. */
import { Hono } from 'hono'
import { z } from 'zod'
import { PHS_RESYNC_OP } from '../../protocol/password-hash-sync.ts'
import type { PasswordHashSyncStatus } from '../../store/store-records.ts'
import { activities, categories, services } from '../audit/audit-activities.ts'
import type { CloudDeps, CloudEnv } from '../web/cloud-deps.ts'
import { validate } from '../web/read-json.ts'

/** The JSON shape `phs status` and the API share; lag is what an admin asks first. */
export function passwordHashSyncView(status: PasswordHashSyncStatus) {
  return {
    userId: status.userId,
    userPrincipalName: status.userPrincipalName,
    agentId: status.agentId,
    result: status.result,
    detail: status.detail,
    changedAt: status.changedAt === null ? null : new Date(status.changedAt).toISOString(),
    syncedAt: new Date(status.syncedAt).toISOString(),
    lagSeconds: status.changedAt === null ? null : Math.max(0, Math.round((status.syncedAt - status.changedAt) / 1000)),
  }
}

const pageSchema = z
  .object({
    limit: z.coerce.number().int().min(1).max(500).default(100),
    offset: z.coerce.number().int().min(0).max(10_000_000).default(0),
  })
  .strict()

export function phsApiRoutes(deps: CloudDeps): Hono<CloudEnv> {
  const api = new Hono<CloudEnv>()
  api.get('/users', async (c) => {
    const page = validate(pageSchema, c.req.query())
    const listed = await deps.store.passwordHashSync.list(c.get('tenant').id, page)
    return c.json({ total: listed.total, users: listed.items.map(passwordHashSyncView) })
  })
  api.post('/resync', async (c) => {
    const tenant = c.get('tenant')
    const asked = (await deps.askOnlineAgents?.(tenant.id, PHS_RESYNC_OP)) ?? 0
    // Every user's hash is sent again: an admin wants to know who asked, and whether any agent heard.
    await deps.store.audit.append({
      tenantId: tenant.id,
      activity: activities.requestPasswordHashResync,
      service: services.coreDirectory,
      category: categories.directory,
      actor: 'admin-api',
      target: tenant.name,
      result: asked > 0 ? 'success' : 'failure',
      failureReason: asked > 0 ? null : 'no agent of this tenant is online on this node',
      correlationId: c.get('correlationId'),
      details: { agentsAsked: String(asked) },
    })
    return c.json({ agentsAsked: asked }, 202)
  })
  return api
}
