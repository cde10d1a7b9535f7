/** @module SCIM 2.0 /Users (RFC 7644): list with filter and paging, read, create, replace, patch, delete. */
import { type Context, Hono } from 'hono'
import { z } from 'zod'
import { IdbridgeError } from '../../errors/idbridge-error.ts'
import type { User } from '../../store/store-records.ts'
import { applyScimPatch } from '../scim/scim-patch.ts'
import type { CloudDeps, CloudEnv } from '../web/cloud-deps.ts'
import { readJson, validate } from '../web/read-json.ts'
import { etagOf, ifMatchVersion } from './scim-etag.ts'
import { listResponse, readListQuery } from './scim-list-query.ts'
import { userFilterColumns } from './scim-schemas.ts'
import { fromScimUser, scimUserInputSchema, toScimUser } from './scim-user-resource.ts'

const SCIM_JSON = { 'content-type': 'application/scim+json' }

export function scimUserRoutes(deps: CloudDeps): Hono<CloudEnv> {
  const routes = new Hono<CloudEnv>()
  const baseUrl = (c: Context<CloudEnv>) => `${new URL(c.req.url).origin}/scim/v2`
  const actor = (c: Context<CloudEnv>) => ({ name: 'scim', correlationId: c.get('correlationId') })
  const load = async (c: Context<CloudEnv>): Promise<User> => {
    const user = await deps.store.users.get(c.get('tenant').id, c.req.param('id') ?? '')
    if (!user) throw new IdbridgeError('IDB_ERR_NOT_FOUND', { detail: `user ${c.req.param('id')}` })
    return user
  }
  const send = async (c: Context<CloudEnv>, user: User, status: 200 | 201 = 200) => {
    const groups = await deps.store.groups.listGroupsOfUser(user.tenantId, user.id)
    const body = toScimUser(user, groups, baseUrl(c))
    const headers: Record<string, string> = { ...SCIM_JSON, etag: etagOf(user.version) }
    if (status === 201) headers.location = `${baseUrl(c)}/Users/${user.id}`
    return c.body(JSON.stringify(body), status, headers)
  }

  routes.get('/', async (c) => {
    const query = readListQuery(c, userFilterColumns)
    const { total, users } = await deps.store.users.list(c.get('tenant').id, query)
    // Group memberships are left out of lists: one query per user would make paging slow.
    const resources = users.map((u) => toScimUser(u, [], baseUrl(c)))
    return c.body(JSON.stringify(listResponse(resources, total, query.startIndex)), 200, SCIM_JSON)
  })

  routes.get('/:id', async (c) => {
    const user = await load(c)
    if (c.req.header('if-none-match') === etagOf(user.version)) return c.body(null, 304)
    return send(c, user)
  })

  routes.post('/', async (c) => {
    const input = await readJson(c, scimUserInputSchema)
    const result = await deps.users.create(
      c.get('tenant'),
      { ...fromScimUser(input), onPremises: null },
      actor(c),
      input.password,
    )
    if (!result.ok) throw result.error
    return send(c, result.value, 201)
  })

  const replace = async (c: Context<CloudEnv>, user: User, body: unknown) => {
    const input = validate(scimUserInputSchema, body)
    const tenant = c.get('tenant')
    const ifVersion = ifMatchVersion(c.req.header('if-match')) ?? user.version
    const options = { ifVersion, password: input.password }
    const replaced = await deps.users.replace(tenant, user.id, fromScimUser(input), actor(c), options)
    if (!replaced.ok) throw replaced.error
    return send(c, replaced.value)
  }

  routes.put('/:id', async (c) => replace(c, await load(c), await readJson(c, scimUserInputSchema)))

  routes.patch('/:id', async (c) => {
    const user = await load(c)
    const body = await readJson(c, z.unknown())
    const current = toScimUser(user, [], baseUrl(c))
    const patched = applyScimPatch(current, body)
    if (!patched.ok) throw patched.error
    return replace(c, user, patched.value)
  })

  routes.delete('/:id', async (c) => {
    const user = await load(c)
    const ifVersion = ifMatchVersion(c.req.header('if-match'))
    if (ifVersion !== undefined && ifVersion !== user.version) {
      throw new IdbridgeError('IDB_ERR_PRECONDITION_FAILED', {
        detail: `user ${user.id} is at ${etagOf(user.version)}`,
      })
    }
    const result = await deps.users.delete(c.get('tenant'), user.id, actor(c))
    if (!result.ok) throw result.error
    return c.body(null, 204)
  })

  return routes
}
