/** @module Stores the event log entries agents ship, under the agent's own tenant and id. */
import type { Result } from '../../errors/idbridge-error.ts'
import { agentEventsBatchSchema } from '../../protocol/agent-events-batch.ts'
import type { Store } from '../../store/store.ts'
import type { MessageHandler } from './agent-hub.ts'
import { parseAgentMessage } from './parse-agent-message.ts'

export function agentEventsHandler(store: Store): MessageHandler {
  return async function agentEvents(agent, body): Promise<Result<unknown>> {
    const parsed = parseAgentMessage(agentEventsBatchSchema, body, 'events batch')
    if (!parsed.ok) return parsed
    const { events, dropped } = parsed.value
    await store.agentEvents.append(
      agent.tenantId,
      events.map((e) => ({
        agentId: agent.agentId,
        at: Date.parse(e.at),
        eventId: e.id,
        source: e.source,
        level: e.level,
        message: e.message,
        data: { ...e.data, ...(dropped ? { droppedBefore: dropped } : {}) },
      })),
    )
    return { ok: true, value: { stored: events.length } }
  }
}
