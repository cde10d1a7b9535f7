/** @module The SCIM 2.0 service root: discovery documents plus /Users and /Groups. */
import { Hono } from 'hono'
import type { CloudDeps, CloudEnv } from '../web/cloud-deps.ts'
import { scimGroupRoutes } from './scim-group-routes.ts'
import { SCIM_GROUP, SCIM_IDBRIDGE_USER, SCIM_LIST, SCIM_USER } from './scim-schemas.ts'
import { scimUserRoutes } from './scim-user-routes.ts'

const serviceProviderConfig = {
  schemas: ['urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig'],
  patch: { supported: true },
  bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
  filter: { supported: true, maxResults: 500 },
  changePassword: { supported: true },
  sort: { supported: false },
  etag: { supported: true },
  authenticationSchemes: [
    { type: 'oauthbearertoken', name: 'Bearer token', description: 'Created with `idbridge admin token create`.' },
  ],
}

const resourceTypes = [
  {
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:ResourceType'],
    id: 'User',
    name: 'User',
    endpoint: '/Users',
    schema: SCIM_USER,
    schemaExtensions: [{ schema: SCIM_IDBRIDGE_USER, required: false }],
  },
  {
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:ResourceType'],
    id: 'Group',
    name: 'Group',
    endpoint: '/Groups',
    schema: SCIM_GROUP,
  },
]

const SCIM_JSON = { 'content-type': 'application/scim+json' }

export function scimRoutes(deps: CloudDeps): Hono<CloudEnv> {
  const scim = new Hono<CloudEnv>()
  scim.get('/ServiceProviderConfig', (c) => c.body(JSON.stringify(serviceProviderConfig), 200, SCIM_JSON))
  scim.get('/ResourceTypes', (c) =>
    c.body(JSON.stringify({ schemas: [SCIM_LIST], totalResults: 2, Resources: resourceTypes }), 200, SCIM_JSON),
  )
  scim.route('/Users', scimUserRoutes(deps))
  scim.route('/Groups', scimGroupRoutes(deps))
  return scim
}
