/** @module SCIM 2.0 /Groups: list, read, create, replace, patch (members) and delete. */
import { type Context, Hono } from 'hono'
import { z } from 'zod'
import { IdbridgeError, type Result } from '../../errors/idbridge-error.ts'
import type { Group } from '../../store/store-records.ts'
import { activities, categories, services } from '../audit/audit-activities.ts'
import { applyScimPatch } from '../scim/scim-patch.ts'
import type { CloudDeps, CloudEnv } from '../web/cloud-deps.ts'
import { readJson, validate } from '../web/read-json.ts'
import { etagOf, ifMatchVersion } from './scim-etag.ts'
import { scimGroupInputSchema, toScimGroup } from './scim-group-resource.ts'
import { listResponse, readListQuery } from './scim-list-query.ts'
import { groupFilterColumns } from './scim-schemas.ts'

const SCIM_JSON = { 'content-type': 'application/scim+json' }

export function scimGroupRoutes(deps: CloudDeps): Hono<CloudEnv> {
  const routes = new Hono<CloudEnv>()
  const { store } = deps
  const baseUrl = (c: Context<CloudEnv>) => `${new URL(c.req.url).origin}/scim/v2`
  const load = async (c: Context<CloudEnv>): Promise<Group> => {
    const group = await store.groups.get(c.get('tenant').id, c.req.param('id') ?? '')
    if (!group) throw new IdbridgeError('IDB_ERR_NOT_FOUND', { detail: `group ${c.req.param('id')}` })
    return group
  }
  const send = async (c: Context<CloudEnv>, group: Group, status: 200 | 201 = 200) => {
    const members = await store.groups.listMembers(group.tenantId, group.id)
    const headers: Record<string, string> = { ...SCIM_JSON, etag: etagOf(group.version) }
    if (status === 201) headers.location = `${baseUrl(c)}/Groups/${group.id}`
    return c.body(JSON.stringify(toScimGroup(group, members, baseUrl(c))), status, headers)
  }
  const audit = (c: Context<CloudEnv>, activity: string, group: Group) =>
    store.audit.append({
      tenantId: group.tenantId,
      activity,
      service: services.coreDirectory,
      category: categories.group,
      actor: 'scim',
      target: group.displayName,
      result: 'success',
      failureReason: null,
      correlationId: c.get('correlationId'),
      details: { groupId: group.id },
    })
  const refuseSynced = (group: Group) => {
    if (group.onPremisesSyncEnabled) {
      throw new IdbridgeError('IDB_ERR_SYNCED_ATTRIBUTE', {
        detail: `group ${group.displayName} is synced from Active Directory`,
        data: { scimType: 'mutability' },
      })
    }
  }
  const orThrow = <T>(result: Result<T>): T => {
    if (!result.ok) throw result.error
    return result.value
  }

  routes.get('/', async (c) => {
    const query = readListQuery(c, groupFilterColumns)
    const { total, groups } = await store.groups.list(c.get('tenant').id, query)
    const resources = groups.map((g) => toScimGroup(g, undefined, baseUrl(c)))
    return c.body(JSON.stringify(listResponse(resources, total, query.startIndex)), 200, SCIM_JSON)
  })

  routes.get('/:id', async (c) => {
    const group = await load(c)
    if (c.req.header('if-none-match') === etagOf(group.version)) return c.body(null, 304)
    return send(c, group)
  })

  routes.post('/', async (c) => {
    const input = await readJson(c, scimGroupInputSchema)
    const tenantId = c.get('tenant').id
    const created = await store.transaction(async (tx) => {
      const group = await tx.groups.create(tenantId, {
        displayName: input.displayName,
        description: null,
        immutableId: null,
        onPremisesSyncEnabled: false,
      })
      if (!group.ok || !input.members) return group
      const members = await tx.groups.setMembers(
        tenantId,
        group.value.id,
        input.members.map((m) => m.value),
      )
      return members.ok ? group : members
    })
    const group = orThrow(created)
    await audit(c, activities.addGroup, group)
    return send(c, (await store.groups.get(tenantId, group.id)) ?? group, 201)
  })

  const replace = async (c: Context<CloudEnv>, group: Group, body: unknown) => {
    refuseSynced(group)
    const input = validate(scimGroupInputSchema, body)
    const ifVersion = ifMatchVersion(c.req.header('if-match')) ?? group.version
    const result = await store.transaction(async (tx) => {
      const updated = await tx.groups.update(
        group.tenantId,
        group.id,
        { displayName: input.displayName },
        { ifVersion },
      )
      if (!updated.ok) return updated
      const members = await tx.groups.setMembers(
        group.tenantId,
        group.id,
        (input.members ?? []).map((m) => m.value),
      )
      return members.ok ? updated : members
    })
    const updated = orThrow(result)
    await audit(c, activities.updateGroup, updated)
    return send(c, (await store.groups.get(group.tenantId, group.id)) ?? updated)
  }

  routes.put('/:id', async (c) => replace(c, await load(c), await readJson(c, z.unknown())))

  routes.patch('/:id', async (c) => {
    const group = await load(c)
    const body = await readJson(c, z.unknown())
    const members = await store.groups.listMembers(group.tenantId, group.id)
    const patched = orThrow(applyScimPatch(toScimGroup(group, members, baseUrl(c)), body))
    return replace(c, group, patched)
  })

  routes.delete('/:id', async (c) => {
    const group = await load(c)
    refuseSynced(group)
    const ifVersion = ifMatchVersion(c.req.header('if-match'))
    if (ifVersion !== undefined && ifVersion !== group.version) {
      throw new IdbridgeError('IDB_ERR_PRECONDITION_FAILED', {
        detail: `group ${group.id} is at ${etagOf(group.version)}`,
      })
    }
    await store.groups.delete(group.tenantId, group.id)
    await audit(c, activities.deleteGroup, group)
    return c.body(null, 204)
  })

  return routes
}
