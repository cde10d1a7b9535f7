/** @module The tenant service as one Hono app: pages, admin API, SCIM and the OpenAPI document. */
import { randomUUID } from 'node:crypto'
import { Hono } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { secureHeaders } from 'hono/secure-headers'
import { IdbridgeError } from '../../errors/idbridge-error.ts'
import { agentAdminRoutes } from '../agents/agent-admin-routes.ts'
import { agentRegistrationRoutes } from '../agents/agent-registration-routes.ts'
import { scimRoutes } from '../scim-api/scim-routes.ts'
import { phsApiRoutes } from '../phs/phs-api-routes.ts'
import { syncApiRoutes } from '../sync/sync-api-routes.ts'
import { adminApiRoutes } from './admin-api-routes.ts'
import { labRoutes } from './lab-routes.tsx'
import { requireAdminToken } from './admin-bearer.ts'
import type { CloudDeps, CloudEnv } from './cloud-deps.ts'
import { errorResponse, toIdbridgeError } from './error-responses.tsx'
import { openApiDocument } from './openapi-document.ts'
import { pageRoutes } from './page-routes.tsx'
import { TroubleshootingPage } from './pages/troubleshooting-page.tsx'
import { siteCss } from './site-css.ts'

export function createCloudApp(deps: CloudDeps): Hono<CloudEnv> {
  const app = new Hono<CloudEnv>()

  app.use(async function correlate(c, next) {
    const correlationId = randomUUID()
    c.set('correlationId', correlationId)
    const started = performance.now()
    await next()
    c.header('x-correlation-id', correlationId)
    // Method, path and status only: bodies, queries and headers may hold secrets.
    deps.logger.info(
      {
        correlationId,
        method: c.req.method,
        path: c.req.path,
        status: c.res.status,
        ms: Math.round(performance.now() - started),
      },
      'request',
    )
  })
  app.use(
    secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        baseUri: ["'none'"],
        objectSrc: ["'none'"],
      },
      xFrameOptions: 'DENY',
      // same-origin, not no-referrer: with no-referrer Chromium sends "Origin: null" on our own form posts.
      referrerPolicy: 'same-origin',
      strictTransportSecurity: 'max-age=31536000',
    }),
  )
  app.use(
    bodyLimit({
      maxSize: deps.config.http.maxBodyBytes,
      onError: () => {
        throw new IdbridgeError('IDB_ERR_BODY_TOO_LARGE', { detail: `limit is ${deps.config.http.maxBodyBytes} bytes` })
      },
    }),
  )
  app.onError((error, c) => {
    const known = toIdbridgeError(error)
    if (known.code === 'IDB_ERR_INTERNAL') {
      deps.logger.error({ correlationId: c.get('correlationId'), err: error }, 'unhandled error')
    } else if (known.cause !== undefined && known.status >= 500) {
      // A full or unreachable store is the operator's problem: the database's own words go to the log.
      deps.logger.error({ correlationId: c.get('correlationId'), code: known.code, err: known.cause }, 'request failed')
    } else {
      deps.logger.info(
        { correlationId: c.get('correlationId'), code: known.code, detail: known.detail },
        'request refused',
      )
    }
    return errorResponse(c, known)
  })
  app.notFound((c) => errorResponse(c, new IdbridgeError('IDB_ERR_NOT_FOUND', { detail: c.req.path.slice(0, 200) })))

  app.get('/', (c) => c.redirect(`/t/${deps.config.tenant.name}`, 302))
  app.get('/healthz', (c) => c.json({ status: 'ok' }))
  app.get('/assets/site.css', (c) =>
    c.body(siteCss, 200, { 'content-type': 'text/css; charset=utf-8', 'cache-control': 'max-age=3600' }),
  )
  app.get('/docs/troubleshooting', (c) => c.html(<TroubleshootingPage />))
  app.get('/openapi.json', (c) => c.json(openApiDocument))
  app.route('/t', pageRoutes(deps))
  // Only in lab mode: the page shows reset codes to whoever reaches it.
  if (deps.labSink) app.route('/lab', labRoutes(deps.labSink))
  app.route('/agent', agentRegistrationRoutes(deps))
  app.use('/api/v1/*', requireAdminToken(deps))
  app.route('/api/v1/agents', agentAdminRoutes(deps))
  app.route('/api/v1/sync', syncApiRoutes(deps, deps.sync))
  app.route('/api/v1/password-hash-sync', phsApiRoutes(deps))
  app.route('/api/v1', adminApiRoutes(deps))
  app.use('/scim/v2/*', requireAdminToken(deps))
  app.route('/scim/v2', scimRoutes(deps))
  return app
}
