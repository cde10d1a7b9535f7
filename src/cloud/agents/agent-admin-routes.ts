/** @module Admin API for agents: list them and create one-time registration tokens (behind the admin bearer). */
import { Hono } from 'hono'
import { z } from 'zod'
import type { CloudDeps, CloudEnv } from '../web/cloud-deps.ts'
import { validate } from '../web/read-json.ts'
import { agentView } from './agent-view.ts'
import { createRegistrationToken } from './registration-tokens.ts'

export function agentAdminRoutes(deps: CloudDeps): Hono<CloudEnv> {
  const api = new Hono<CloudEnv>()

  api.get('/', async (c) => {
    const now = deps.clock.now()
    const agents = await deps.store.agents.list(c.get('tenant').id)
    return c.json({ agents: agents.map((agent) => agentView(agent, now)) })
  })

  api.post('/registration-tokens', async (c) => {
    const tenant = c.get('tenant')
    const created = await createRegistrationToken(deps.store, deps.clock, tenant.id)
    deps.logger.info({ correlationId: c.get('correlationId'), tenantId: tenant.id }, 'agent registration token created')
    c.header('cache-control', 'no-store')
    return c.json({ token: created.token, expiresAt: new Date(created.expiresAt).toISOString() }, 201)
  })

  api.get('/events', async (c) => {
    const query = validate(
      z.object({
        agentId: z.uuid().optional(),
        id: z.coerce.number().int().min(0).optional(),
        since: z.iso.datetime({ offset: true }).transform((t) => Date.parse(t)).optional(),
        limit: z.coerce.number().int().min(1).max(1000).default(100),
      }),
      c.req.query(),
    )
    const events = await deps.store.agentEvents.list(c.get('tenant').id, { ...query, eventId: query.id })
    return c.json({ events: events.map((e) => ({ ...e, at: new Date(e.at).toISOString() })) })
  })

  return api
}
