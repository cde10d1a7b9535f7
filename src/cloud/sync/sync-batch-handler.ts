/** @module Receives sync batches from agents on the channel and hands them to the ingest. */
import { randomUUID } from 'node:crypto'
import { IdbridgeError, type Result } from '../../errors/idbridge-error.ts'
import { syncBatchSchema } from '../../protocol/sync-batch.ts'
import type { Store } from '../../store/store.ts'
import type { MessageHandler } from '../agents/agent-hub.ts'
import type { DirectorySyncIngest } from './directory-sync-ingest.ts'

/** The batch's tenant is the agent's, never a value from the message. */
export function syncBatchHandler(store: Store, ingest: DirectorySyncIngest): MessageHandler {
  return async function syncBatch(agent, body): Promise<Result<unknown>> {
    const parsed = syncBatchSchema.safeParse(body)
    if (!parsed.success) {
      const detail = parsed.error.issues.slice(0, 3).map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')
      return { ok: false, error: new IdbridgeError('IDB_ERR_INVALID_INPUT', { detail: `sync batch: ${detail}` }) }
    }
    const tenant = await store.tenants.get(agent.tenantId)
    if (!tenant) return { ok: false, error: new IdbridgeError('IDB_ERR_TENANT_NOT_FOUND', { detail: agent.tenantId }) }
    const run = await ingest.apply(tenant, agent.agentId, parsed.data, randomUUID())
    if (!run.ok) return run
    const { id, status, created, updated, deleted, failed } = run.value
    return { ok: true, value: { runId: id, status, created, updated, deleted, failed, pendingDeletes: run.value.pendingDeletes.length } }
  }
}
