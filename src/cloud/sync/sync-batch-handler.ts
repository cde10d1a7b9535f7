/** @module Receives sync batches from agents on the channel and hands them to the ingest. */
import { randomUUID } from 'node:crypto'
import type { Result } from '../../errors/idbridge-error.ts'
import { syncBatchSchema } from '../../protocol/sync-batch.ts'
import type { Store } from '../../store/store.ts'
import type { MessageHandler } from '../agents/agent-hub.ts'
import { agentTenant } from '../agents/agent-tenant.ts'
import { parseAgentMessage } from '../agents/parse-agent-message.ts'
import type { DirectorySyncIngest } from './directory-sync-ingest.ts'

/** The batch's tenant is the agent's, never a value from the message. */
export function syncBatchHandler(store: Store, ingest: DirectorySyncIngest): MessageHandler {
  return async function syncBatch(agent, body): Promise<Result<unknown>> {
    const parsed = parseAgentMessage(syncBatchSchema, body, 'sync batch')
    if (!parsed.ok) return parsed
    const tenant = await agentTenant(store, agent)
    if (!tenant.ok) return tenant
    const run = await ingest.apply(tenant.value, agent.agentId, parsed.value, randomUUID())
    if (!run.ok) return run
    const { id, status, created, updated, deleted, failed } = run.value
    return { ok: true, value: { runId: id, status, created, updated, deleted, failed, pendingDeletes: run.value.pendingDeletes.length } }
  }
}
