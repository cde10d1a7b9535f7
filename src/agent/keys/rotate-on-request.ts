/** @module The agent's answer to the tenant's "rotate your writeback keys": a rotation on a control connection. */
import type { Result } from '../../errors/idbridge-error.ts'
import type { RequestHandler } from '../channel/agent-channel.ts'
import type { AgentEventLog } from '../events/agent-event.ts'
import { rotateAgentKeys } from './rotate-agent-keys.ts'

/**
 * Accepts at once and rotates afterwards: the rotation closes this very connection (the tenant drops
 * sessions that hold the old key), so an answer sent after it would never arrive.
 */
export function rotateKeysOnRequest(options: {
  dir: string
  eventLog: AgentEventLog
  onDone?: (result: Result<unknown>) => void
}): RequestHandler {
  return async () => {
    setImmediate(() => {
      void rotateAgentKeys({ dir: options.dir, eventLog: options.eventLog }).then((result) => options.onDone?.(result))
    })
    return { ok: true, value: { accepted: true } }
  }
}
