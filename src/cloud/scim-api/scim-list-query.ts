/** @module The shared part of SCIM list requests: filter, startIndex and count. */
import type { Context } from 'hono'
import { z } from 'zod'
import type { ListQuery } from '../../store/store-records.ts'
import { parseScimFilter } from '../scim/scim-filter.ts'
import { compileScimFilter, type ScimAttributeMap } from '../scim/scim-filter-sql.ts'
import { validate } from '../web/read-json.ts'
import { SCIM_LIST } from './scim-schemas.ts'

const listParams = z.object({
  filter: z.string().max(2000).optional(),
  startIndex: z.coerce.number().int().min(1).default(1),
  count: z.coerce.number().int().min(0).max(500).default(100),
})

/** Parses and compiles the query; a bad filter comes back as IDB_ERR_SCIM_FILTER (invalidFilter). */
export function readListQuery(c: Context, columns: ScimAttributeMap): ListQuery & { startIndex: number } {
  const params = validate(listParams, {
    filter: c.req.query('filter'),
    startIndex: c.req.query('startIndex'),
    count: c.req.query('count'),
  })
  let where: ListQuery['where']
  if (params.filter !== undefined && params.filter.trim() !== '') {
    const parsed = parseScimFilter(params.filter)
    if (!parsed.ok) throw parsed.error
    const compiled = compileScimFilter(parsed.value, columns)
    if (!compiled.ok) throw compiled.error
    where = compiled.value
  }
  return { where, offset: params.startIndex - 1, limit: params.count, startIndex: params.startIndex }
}

export function listResponse(resources: unknown[], total: number, startIndex: number) {
  return { schemas: [SCIM_LIST], totalResults: total, startIndex, itemsPerPage: resources.length, Resources: resources }
}
