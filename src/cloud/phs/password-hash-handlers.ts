/** @module The channel handlers for password hash sync batches and the idle heartbeat. */
import { IdbridgeError, type Result } from '../../errors/idbridge-error.ts'
import { passwordHashBatchSchema } from '../../protocol/password-hash-sync.ts'
import type { Store } from '../../store/store.ts'
import type { Tenant } from '../../store/store-records.ts'
import type { MessageHandler } from '../agents/agent-hub.ts'
import type { PasswordHashIngest } from './password-hash-ingest.ts'

/** The batch's tenant is the agent's, never a value from the message. */
export function passwordHashBatchHandler(store: Store, ingest: PasswordHashIngest): MessageHandler {
  return async function passwordHashBatch(agent, body): Promise<Result<unknown>> {
    const parsed = passwordHashBatchSchema.safeParse(body)
    if (!parsed.success) {
      // Never echo the input: a malformed batch may still carry verifiers.
      const detail = parsed.error.issues.slice(0, 3).map((i) => `${i.path.join('.')}: ${i.code}`).join('; ')
      return { ok: false, error: new IdbridgeError('IDB_ERR_INVALID_INPUT', { detail: `password hash batch: ${detail}` }) }
    }
    const tenant = await tenantOf(store, agent.tenantId)
    if (!tenant.ok) return tenant
    return ingest.apply(tenant.value, agent.agentId, parsed.data)
  }
}

/** Answers the 30-minute ping: fails the same way a batch would, so the agent logs 655 instead of 654. */
export function passwordHashPingHandler(store: Store): MessageHandler {
  return async function passwordHashPing(agent): Promise<Result<unknown>> {
    const tenant = await tenantOf(store, agent.tenantId)
    if (!tenant.ok) return tenant
    if (!tenant.value.settings.passwordHashSyncEnabled) {
      return { ok: false, error: new IdbridgeError('IDB_ERR_PHS_NOT_ACTIVATED', { detail: `tenant ${tenant.value.name}` }) }
    }
    return { ok: true, value: { at: new Date().toISOString() } }
  }
}

async function tenantOf(store: Store, tenantId: string): Promise<Result<Tenant>> {
  const tenant = await store.tenants.get(tenantId)
  return tenant ? { ok: true, value: tenant } : { ok: false, error: new IdbridgeError('IDB_ERR_TENANT_NOT_FOUND', { detail: tenantId }) }
}
