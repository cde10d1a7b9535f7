/** @module The channel handlers for password hash sync batches and the idle heartbeat. */
import type { Result } from '../../errors/idbridge-error.ts'
import { passwordHashBatchSchema } from '../../protocol/password-hash-sync.ts'
import type { Store } from '../../store/store.ts'
import type { MessageHandler } from '../agents/agent-hub.ts'
import { agentTenant } from '../agents/agent-tenant.ts'
import { parseAgentMessage } from '../agents/parse-agent-message.ts'
import { notActivated, type PasswordHashIngest } from './password-hash-ingest.ts'

/** The batch's tenant is the agent's, never a value from the message. */
export function passwordHashBatchHandler(store: Store, ingest: PasswordHashIngest): MessageHandler {
  return async function passwordHashBatch(agent, body): Promise<Result<unknown>> {
    const parsed = parseAgentMessage(passwordHashBatchSchema, body, 'password hash batch')
    if (!parsed.ok) return parsed
    const tenant = await agentTenant(store, agent)
    if (!tenant.ok) return tenant
    return ingest.apply(tenant.value, agent.agentId, parsed.value)
  }
}

/** Answers the 30-minute ping: fails the same way a batch would, so the agent logs 655 instead of 654. */
export function passwordHashPingHandler(store: Store): MessageHandler {
  return async function passwordHashPing(agent): Promise<Result<unknown>> {
    const tenant = await agentTenant(store, agent)
    if (!tenant.ok) return tenant
    const refused = notActivated(tenant.value)
    if (refused) return { ok: false, error: refused }
    return { ok: true, value: { at: new Date().toISOString() } }
  }
}
