/** @module Converts between Results and response frames, the same way on both ends. */
import { type ErrorCode, errorCatalogue } from '../errors/error-catalogue.ts'
import { IdbridgeError, type Result } from '../errors/idbridge-error.ts'
import { fitsInFrame, type ResponseFrame } from './channel-frames.ts'

export function failure(code: ErrorCode, detail: string): Result<never> {
  return { ok: false, error: new IdbridgeError(code, { detail }) }
}

/** The fields of a response frame for a result; the caller adds id and expiresAt. */
export function toResponseFields(replyTo: string, result: Result<unknown>): Record<string, unknown> {
  if (result.ok && !fitsInFrame(result.value)) {
    return toResponseFields(replyTo, failure('IDB_ERR_CHANNEL_INVALID', 'the response is larger than one channel frame'))
  }
  return result.ok
    ? { type: 'response', replyTo, ok: true, body: result.value }
    : {
        type: 'response',
        replyTo,
        ok: false,
        error: {
          code: result.error.code,
          detail: result.error.detail?.slice(0, 2000),
          ...(result.error.data ? { data: primitiveData(result.error.data) } : {}),
        },
      }
}

/** A remote error keeps its code when it is one of ours; anything else becomes a request failure. */
export function toResult(frame: ResponseFrame): Result<unknown> {
  if (frame.ok) return { ok: true, value: frame.body }
  const code = frame.error?.code ?? 'IDB_ERR_AGENT_REQUEST_FAILED'
  if (Object.hasOwn(errorCatalogue, code)) {
    const detail = frame.error?.detail ?? code
    return { ok: false, error: new IdbridgeError(code as ErrorCode, { detail, data: frame.error?.data }) }
  }
  return failure('IDB_ERR_AGENT_REQUEST_FAILED', `${code}: ${frame.error?.detail ?? ''}`)
}

/** Only what the frame schema allows, so a stray object in `data` cannot make the response invalid. */
function primitiveData(data: Readonly<Record<string, unknown>>): Record<string, string | number | boolean | null> {
  const out: Record<string, string | number | boolean | null> = {}
  for (const [key, value] of Object.entries(data)) {
    if (value === null || typeof value === 'number' || typeof value === 'boolean') out[key] = value
    else if (typeof value === 'string') out[key] = value.slice(0, 2000)
  }
  return out
}
