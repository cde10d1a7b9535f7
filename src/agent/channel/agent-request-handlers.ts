/** @module The agent's handler table: looks up the handler for a request type and applies idempotency. */
import { IdbridgeError, type Result } from '../../errors/idbridge-error.ts'
import type { Clock } from '../../time/clock.ts'
import type { RequestContext, RequestHandler } from './agent-channel.ts'
import { IdempotencyRecord } from './idempotency-record.ts'

/** Shared by the ws channel and the in-memory one, so both behave the same for handlers. */
export class AgentRequestHandlers {
  readonly #handlers = new Map<string, RequestHandler>()
  readonly #record: IdempotencyRecord
  readonly #clock: Clock

  constructor(options: { clock: Clock; record?: IdempotencyRecord }) {
    this.#clock = options.clock
    this.#record = options.record ?? new IdempotencyRecord()
  }

  on(type: string, handler: RequestHandler): void {
    if (this.#handlers.has(type)) throw new Error(`a handler for ${type} is already registered`)
    this.#handlers.set(type, handler)
  }

  async handle(type: string, body: unknown, context: RequestContext): Promise<Result<unknown>> {
    const handler = this.#handlers.get(type)
    if (!handler) {
      return { ok: false, error: new IdbridgeError('IDB_ERR_AGENT_UNSUPPORTED', { detail: `no handler for ${type}` }) }
    }
    const invoke = () => runSafely(handler, body, context)
    if (context.idempotencyKey === undefined) return invoke()
    // The type is part of the key: one key reused for another operation must not return the wrong result.
    return this.#record.run(`${type}\n${context.idempotencyKey}`, this.#clock.now(), invoke).result
  }
}

async function runSafely(handler: RequestHandler, body: unknown, context: RequestContext): Promise<Result<unknown>> {
  try {
    return await handler(body, context)
  } catch (error) {
    if (IdbridgeError.is(error)) return { ok: false, error }
    const detail = error instanceof Error ? error.message : String(error)
    return { ok: false, error: new IdbridgeError('IDB_ERR_AGENT_REQUEST_FAILED', { detail, cause: error }) }
  }
}
