/** @module `POST /agent/register`: public, because the one-time registration token in the body is the credential. */
import { type Context, Hono } from 'hono'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import { errorCatalogue } from '../../errors/error-catalogue.ts'
import { IdbridgeError } from '../../errors/idbridge-error.ts'
import { registerRequestSchema } from '../../protocol/registration-messages.ts'
import { digestToken } from '../auth/admin-tokens.ts'
import type { CloudDeps, CloudEnv } from '../web/cloud-deps.ts'
import { readJson } from '../web/read-json.ts'

export function agentRegistrationRoutes(deps: CloudDeps): Hono<CloudEnv> {
  const routes = new Hono<CloudEnv>()
  routes.post('/register', async (c) => {
    try {
      const body = await readJson(c, registerRequestSchema)
      const registered = await deps.store.agents.register(digestToken(body.token), {
        host: body.host,
        version: body.version,
        identityPublicKey: body.identityPublicKey,
        encryptionPublicKey: body.encryptionPublicKey,
      })
      if (!registered.ok) throw registered.error
      const agent = registered.value
      deps.logger.info(
        { correlationId: c.get('correlationId'), agentId: agent.id, tenantId: agent.tenantId, host: agent.host },
        'agent registered',
      )
      return c.json({ agentId: agent.id, tenantId: agent.tenantId, keysCreatedAt: agent.keysCreatedAt }, 201)
    } catch (error) {
      if (!IdbridgeError.is(error)) throw error
      return refusal(c, deps, error)
    }
  })
  return routes
}

/** The agent is a program, not a browser: it gets the API's JSON error with cause and fix, not an HTML page. */
function refusal(c: Context<CloudEnv>, deps: CloudDeps, error: IdbridgeError): Response {
  const entry = errorCatalogue[error.code]
  const supportCode = c.get('correlationId')
  // The detail names the token's id and whether it was used or expired, never the token.
  deps.logger.warn({ correlationId: supportCode, code: error.code, detail: error.detail }, 'agent registration refused')
  return c.json(
    {
      error: {
        code: error.code,
        message: entry.message,
        detail: error.detail ?? null,
        cause: entry.cause,
        fix: entry.fix,
        supportCode,
      },
    },
    entry.status as ContentfulStatusCode,
  )
}
