/** @module Turns any error into the right response: SCIM error, API JSON or an HTML page. */
import type { Context } from 'hono'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import { type ErrorCode, errorCatalogue } from '../../errors/error-catalogue.ts'
import { IdbridgeError } from '../../errors/idbridge-error.ts'
import { storeFault } from '../../store/store-fault.ts'
import type { CloudEnv } from './cloud-deps.ts'
import { ErrorPage } from './pages/error-page.tsx'

const SCIM_ERROR = 'urn:ietf:params:scim:api:messages:2.0:Error'

/** A full or unreachable store gets its own code, any other unknown error IDB_ERR_INTERNAL; both keep the cause. */
export function toIdbridgeError(error: unknown): IdbridgeError {
  if (IdbridgeError.is(error)) return error
  return storeFault(error) ?? new IdbridgeError('IDB_ERR_INTERNAL', { cause: error })
}

export function errorResponse(c: Context<CloudEnv>, error: IdbridgeError): Response | Promise<Response> {
  const supportCode = c.get('correlationId')
  const entry = errorCatalogue[error.code]
  const status = entry.status as ContentfulStatusCode
  const path = c.req.path
  if (path.startsWith('/scim/')) {
    return c.json(
      {
        schemas: [SCIM_ERROR],
        status: String(entry.status),
        ...(typeof error.data?.scimType === 'string' ? { scimType: error.data.scimType } : {}),
        detail: error.code === 'IDB_ERR_INTERNAL' ? entry.message : (error.detail ?? entry.message),
        code: error.code,
        supportCode,
      },
      status,
      { 'content-type': 'application/scim+json' },
    )
  }
  if (path.startsWith('/api/') || path === '/openapi.json') {
    // Admin API callers are admins: they get the cause and the fix, never a stack.
    return c.json(
      {
        error: {
          code: error.code,
          message: entry.message,
          ...(error.code === 'IDB_ERR_INTERNAL' ? {} : { detail: error.detail ?? null }),
          cause: entry.cause,
          fix: entry.fix,
          supportCode,
        },
      },
      status,
    )
  }
  const tenant = c.get('tenant') as CloudEnv['Variables']['tenant'] | undefined
  return c.html(
    <ErrorPage code={error.code as ErrorCode} supportCode={supportCode} tenantName={tenant?.displayName} />,
    status,
  )
}
