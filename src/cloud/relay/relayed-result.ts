/** @module The relay's answer as it crosses nodes through the store: JSON in writeback_requests.result. */
import { type ErrorCode, errorCatalogue } from '../../errors/error-catalogue.ts'
import { IdbridgeError, type Result } from '../../errors/idbridge-error.ts'
import { type PasswordOperationResult, passwordOperationResultSchema } from '../../protocol/password-operation.ts'

export type RelayedResult = PasswordOperationResult & { trackingId: string }

/** A Result without classes, so any node can write it and any node can read it back. */
export interface StoredResult {
  ok: boolean
  value?: unknown
  error?: { code: string; detail?: string; data?: Record<string, unknown> }
}

export function relayFailure(code: ErrorCode, detail: string): Result<never> {
  return { ok: false, error: new IdbridgeError(code, { detail }) }
}

export function toStored(result: Result<unknown>): StoredResult {
  return result.ok
    ? { ok: true, value: result.value }
    : { ok: false, error: { code: result.error.code, detail: result.error.detail, data: { ...result.error.data } } }
}

/** Codes this node does not know (an older or newer peer) become IDB_ERR_AGENT_REQUEST_FAILED. */
export function fromStored(stored: StoredResult, trackingId: string): Result<RelayedResult> {
  if (stored.ok) {
    const parsed = passwordOperationResultSchema.safeParse(stored.value)
    if (parsed.success) return { ok: true, value: parsed.data }
    return relayFailure('IDB_ERR_AGENT_REQUEST_FAILED', `the agent answered ${trackingId} with an unreadable result`)
  }
  const code = stored.error?.code ?? 'IDB_ERR_AGENT_REQUEST_FAILED'
  if (!Object.hasOwn(errorCatalogue, code)) {
    return relayFailure('IDB_ERR_AGENT_REQUEST_FAILED', `${code}: ${stored.error?.detail ?? ''}`)
  }
  return {
    ok: false,
    error: new IdbridgeError(code as ErrorCode, {
      detail: stored.error?.detail,
      data: { ...stored.error?.data, trackingId },
    }),
  }
}
