/** @module Admin API for agents: list them and create one-time registration tokens (behind the admin bearer). */
import { Hono } from 'hono'
import type { CloudDeps, CloudEnv } from '../web/cloud-deps.ts'
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

  return api
}
