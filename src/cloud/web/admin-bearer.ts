/** @module Authenticates admin API calls by bearer token and pins the request to the token's tenant. */
import type { MiddlewareHandler } from 'hono'
import { IdbridgeError } from '../../errors/idbridge-error.ts'
import { authenticateAdminToken } from '../auth/admin-tokens.ts'
import type { CloudDeps, CloudEnv } from './cloud-deps.ts'

export function requireAdminToken(deps: CloudDeps): MiddlewareHandler<CloudEnv> {
  return async function adminBearer(c, next) {
    const header = c.req.header('authorization') ?? ''
    const match = /^Bearer ([A-Za-z0-9_-]{1,200})$/.exec(header)
    if (!match) {
      throw new IdbridgeError('IDB_ERR_UNAUTHENTICATED', {
        detail: header ? 'malformed Authorization header' : 'no bearer token',
      })
    }
    const result = await authenticateAdminToken(deps.store, deps.clock, match[1]!)
    if (!result.ok) throw result.error
    c.set('tenant', result.value)
    return next()
  }
}
