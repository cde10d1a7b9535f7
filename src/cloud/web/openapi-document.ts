/** @module The OpenAPI 3.1 description of every admin route; security tests generate their cases from it. */

const bearer = [{ adminToken: [] }]
const idParam = { name: 'id', in: 'path', required: true, schema: { type: 'string' } }
const errorResponses = {
  '400': { $ref: '#/components/responses/Error' },
  '401': { $ref: '#/components/responses/Error' },
  '404': { $ref: '#/components/responses/Error' },
  '409': { $ref: '#/components/responses/Error' },
  '412': { $ref: '#/components/responses/Error' },
  '413': { $ref: '#/components/responses/Error' },
}
const json = (schema: object) => ({ content: { 'application/json': { schema } } })
const scimJson = { content: { 'application/scim+json': { schema: { type: 'object' } } } }
const op = (summary: string, extra: object = {}) => ({
  summary,
  security: bearer,
  responses: { '200': { description: 'OK' }, ...errorResponses },
  ...extra,
})

const scimResource = (name: string) => ({
  [`/scim/v2/${name}`]: {
    get: op(`List ${name} (filter, startIndex, count)`, {
      parameters: ['filter', 'startIndex', 'count'].map((p) => ({ name: p, in: 'query', schema: { type: 'string' } })),
    }),
    post: op(`Create a ${name.slice(0, -1)}`, { requestBody: scimJson }),
  },
  [`/scim/v2/${name}/{id}`]: {
    parameters: [idParam],
    get: op(`Read a ${name.slice(0, -1)}`),
    put: op(`Replace a ${name.slice(0, -1)}`, { requestBody: scimJson }),
    patch: op(`Patch a ${name.slice(0, -1)} (RFC 7644 PatchOp)`, { requestBody: scimJson }),
    delete: op(`Delete a ${name.slice(0, -1)}`),
  },
})

export const openApiDocument = {
  openapi: '3.1.0',
  info: { title: 'idbridge tenant admin API', version: '0.1.0' },
  components: {
    securitySchemes: { adminToken: { type: 'http', scheme: 'bearer', description: 'idbridge admin token create' } },
    responses: {
      Error: {
        description: 'A catalogue error: code, safe message, detail, cause, fix and support code',
        ...json({
          type: 'object',
          properties: {
            error: {
              type: 'object',
              properties: {
                code: { type: 'string' },
                message: { type: 'string' },
                detail: { type: ['string', 'null'] },
                cause: { type: 'string' },
                fix: { type: 'string' },
                supportCode: { type: 'string' },
              },
            },
          },
        }),
      },
    },
  },
  paths: {
    '/api/v1/tenant': { get: op("Read the token's tenant and its settings") },
    '/api/v1/tenant/settings': { patch: op('Change tenant settings', { requestBody: json({ type: 'object' }) }) },
    '/api/v1/audit': {
      get: op('Read the audit log, newest first', {
        parameters: ['activity', 'target', 'actor', 'result', 'correlationId', 'since', 'until', 'before', 'limit'].map(
          (p) => ({ name: p, in: 'query', schema: { type: 'string' } }),
        ),
      }),
    },
    '/api/v1/users/{id}/revoke-sessions': {
      parameters: [idParam],
      post: op('Revoke every session of a user (Update StsRefreshTokenValidFrom Timestamp)'),
    },
    '/api/v1/users/{id}/password': {
      parameters: [idParam],
      post: op('Reset a user password: in the tenant for cloud users, in AD through writeback for synced ones (Reset password (by admin))', {
        requestBody: json({
          type: 'object',
          required: ['password'],
          properties: { password: { type: 'string' }, forceChangePasswordNextSignIn: { type: 'boolean' } },
        }),
      }),
    },
    '/api/v1/agents': { get: op('List agents: version, host, state, last heartbeat, key age warnings') },
    '/api/v1/agents/events': {
      get: op('Agent event logs shipped to the tenant, newest first', {
        parameters: ['agentId', 'id', 'since', 'limit'].map((p) => ({ name: p, in: 'query', schema: { type: 'string' } })),
      }),
    },
    '/api/v1/agents/registration-tokens': { post: op('Create a one-time agent registration token, valid 1 hour') },
    '/api/v1/sync/runs': {
      get: op('Directory sync runs, newest first, with created/updated/deleted counts', {
        parameters: [{ name: 'limit', in: 'query', schema: { type: 'string' } }],
      }),
    },
    '/api/v1/sync/runs/{id}/confirm-deletes': {
      parameters: [idParam],
      post: op('Apply the deletes a run held back because they exceeded the threshold'),
    },
    '/api/v1/password-hash-sync/users': {
      get: op('Password hash sync health per user: last result, AD change time, sync time and lag', {
        parameters: ['limit', 'offset'].map((p) => ({ name: p, in: 'query', schema: { type: 'string' } })),
      }),
    },
    '/api/v1/password-hash-sync/resync': {
      post: op("Ask the tenant's online agents to sync every password again (the reference's ForceFullPasswordSync)"),
    },
    '/scim/v2/ServiceProviderConfig': { get: op('SCIM service provider configuration') },
    '/scim/v2/ResourceTypes': { get: op('SCIM resource types') },
    ...scimResource('Users'),
    ...scimResource('Groups'),
  },
} as const
