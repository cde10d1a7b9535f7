/** @module The agent's `password.operation` request handler: open the envelope, run it once, answer. */
import { type EnvelopeKeys, openPasswordEnvelope } from '../../crypto/writeback-envelope.ts'
import type { IdbridgeError, Result } from '../../errors/idbridge-error.ts'
import { envelopeHeaderSchema } from '../../protocol/password-operation.ts'
import type { Clock } from '../../time/clock.ts'
import type { RequestContext, RequestHandler } from '../channel/agent-channel.ts'
import { IdempotencyRecord } from '../channel/idempotency-record.ts'
import type { AgentEventLog } from '../events/agent-event.ts'
import { PasswordWritebackExecutor } from './password-writeback-executor.ts'
import type { WritebackDirectory } from './writeback-directory.ts'
import { type OperationContext, startEvent } from './writeback-events.ts'
import { withTracking, writebackFailure } from './writeback-failure.ts'
import type { WritebackSettings } from './writeback-settings.ts'

/** Everything the handler needs; start-agent passes the real directory and the agent's event log. */
export interface PasswordOperationHandlerOptions {
  /** Called for every request, so a key rotation takes effect without a restart. */
  readonly loadKeys: () => Promise<Result<EnvelopeKeys>>
  readonly directory: WritebackDirectory
  readonly eventLog: AgentEventLog
  readonly settings: WritebackSettings
  readonly clock: Clock
}

/** What can be said about a request whose package did not open: only its clear header, if that parses. */
function sealedContext(body: unknown, request: RequestContext): OperationContext {
  const header = envelopeHeaderSchema.safeParse((body as { header?: unknown } | null)?.header)
  if (header.success) return { trackingId: header.data.trackingId, operation: header.data.operation }
  return { trackingId: request.idempotencyKey ?? request.requestId, operation: 'reset' }
}

/**
 * The handler for PASSWORD_OPERATION_OP. Besides the channel's idempotency (keyed by the
 * tenant's idempotencyKey), it remembers tracking ids itself: a package replayed under another
 * key still gets the first result and is never written twice.
 *
 * @example
 * const handler = createPasswordOperationHandler({ loadKeys, directory, eventLog, settings, clock })
 * channel.onRequest(PASSWORD_OPERATION_OP, handler)
 */
export function createPasswordOperationHandler(options: PasswordOperationHandlerOptions): RequestHandler {
  const executor = new PasswordWritebackExecutor(options)
  const seen = new IdempotencyRecord({ ttlMs: 24 * 60 * 60 * 1000 })
  return async (body, request) => {
    const keys = await options.loadKeys()
    // An unreadable key file is event 32010 CryptoError: the agent cannot decrypt anything.
    const keyFailure = (error: IdbridgeError) => {
      const detail = `The agent key file could not be read: ${error.detail ?? error.code}`
      return { ok: false as const, error: writebackFailure('IDB_ERR_WB_DECRYPTION', detail, { eventId: 32010 }) }
    }
    // The package's expiry is the tenant's: measured on the agent's own clock, a skew would expire
    // fresh packages or keep stale ones alive.
    const now = request.tenantTime ?? options.clock.now()
    const opened = keys.ok ? openPasswordEnvelope(body, keys.value, now) : keyFailure(keys.error)
    if (!opened.ok) {
      const context = sealedContext(body, request)
      const error = withTracking(opened.error, context.trackingId, context.operation)
      // The start event comes from the clear header; envelope failures are logged even for a verify,
      // because they point at the agent's keys or a tampering relay, not at a user's sign-in.
      if (context.operation !== 'verify') options.eventLog.write(startEvent(context))
      executor.recordFailure(context, error)
      return { ok: false, error }
    }
    const pkg = opened.value
    return seen.run(pkg.trackingId, options.clock.now(), () => executor.execute(pkg)).result
  }
}
