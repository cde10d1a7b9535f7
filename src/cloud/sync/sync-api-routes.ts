/** @module Admin API for directory sync: runs with their counts, and confirming held-back deletes. */
import { Hono } from 'hono'
import { z } from 'zod'
import type { SyncRun } from '../../store/store-records.ts'
import type { CloudDeps, CloudEnv } from '../web/cloud-deps.ts'
import { validate } from '../web/read-json.ts'
import type { DirectorySyncIngest } from './directory-sync-ingest.ts'

export const syncRunView = (run: SyncRun) => ({
  ...run,
  startedAt: new Date(run.startedAt).toISOString(),
  finishedAt: run.finishedAt === null ? null : new Date(run.finishedAt).toISOString(),
})

export function syncApiRoutes(deps: CloudDeps, ingest: DirectorySyncIngest): Hono<CloudEnv> {
  const api = new Hono<CloudEnv>()
  api.get('/runs', async (c) => {
    const { limit } = validate(z.object({ limit: z.coerce.number().int().min(1).max(200).default(20) }), c.req.query())
    const runs = await deps.store.syncRuns.list(c.get('tenant').id, limit)
    return c.json({ runs: runs.map(syncRunView) })
  })
  api.post('/runs/:id/confirm-deletes', async (c) => {
    const result = await ingest.confirmDeletes(c.get('tenant'), c.req.param('id'), {
      name: 'admin-api',
      correlationId: c.get('correlationId'),
    })
    if (!result.ok) throw result.error
    return c.json(syncRunView(result.value))
  })
  return api
}
