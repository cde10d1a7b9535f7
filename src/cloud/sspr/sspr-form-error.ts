/** @module Builds the alert a page shows for an IdbridgeError, with the agent's code for the admin. */
import type { Context } from 'hono'
import { type ErrorCode, errorCatalogue } from '../../errors/error-catalogue.ts'
import { IdbridgeError } from '../../errors/idbridge-error.ts'
import type { CloudEnv } from '../web/cloud-deps.ts'
import type { FormError } from '../web/pages/form-alert.tsx'

export function formError(c: Context<CloudEnv>, error: IdbridgeError): FormError {
  const data = error.data ?? {}
  const agentCode =
    typeof data.agentCode === 'string' && Object.hasOwn(errorCatalogue, data.agentCode)
      ? (data.agentCode as ErrorCode)
      : undefined
  const eventId = typeof data.eventId === 'number' ? data.eventId : undefined
  const rootCause = typeof data.rootCauseDetail === 'string' ? data.rootCauseDetail : undefined
  return {
    code: error.code,
    supportCode: c.get('correlationId'),
    ...(rootCause ? { hint: rootCause } : {}),
    ...(agentCode ? { agentCode, ...(eventId ? { eventId } : {}) } : {}),
  }
}

/** Form errors are shown in place; anything else is a programmer error that the error page handles. */
export function asFormError(c: Context<CloudEnv>, error: unknown): FormError {
  if (IdbridgeError.is(error)) return formError(c, error)
  throw error
}
