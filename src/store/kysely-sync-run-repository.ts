/** @module Sync runs over Kysely: counts, previews of deletes, and the anchors a full run saw. */
import type { Kysely, Selectable } from 'kysely'
import { bulkInsert } from './bulk-insert.ts'
import type { Database, SyncRunTable } from './database-schema.ts'
import { toUser } from './row-mappers.ts'
import type { SyncRunRepository } from './store.ts'
import type { SyncRun, User } from './store-records.ts'

const toSyncRun = (row: Selectable<SyncRunTable>): SyncRun => ({
  id: row.id,
  tenantId: row.tenant_id,
  agentId: row.agent_id,
  kind: row.kind === 'full' ? 'full' : 'delta',
  status: row.status as SyncRun['status'],
  startedAt: row.started_at,
  finishedAt: row.finished_at,
  created: row.created,
  updated: row.updated,
  deleted: row.deleted,
  failed: row.failed,
  pendingDeletes: JSON.parse(row.pending_deletes),
  details: JSON.parse(row.details),
})

function toRow(run: SyncRun): SyncRunTable {
  return {
    id: run.id,
    tenant_id: run.tenantId,
    agent_id: run.agentId,
    kind: run.kind,
    status: run.status,
    started_at: run.startedAt,
    finished_at: run.finishedAt,
    created: run.created,
    updated: run.updated,
    deleted: run.deleted,
    failed: run.failed,
    pending_deletes: JSON.stringify(run.pendingDeletes),
    details: JSON.stringify(run.details),
  }
}

export class KyselySyncRunRepository implements SyncRunRepository {
  readonly #db: Kysely<Database>
  constructor(db: Kysely<Database>) {
    this.#db = db
  }

  async save(run: SyncRun): Promise<void> {
    const row = toRow(run)
    const { id: _id, tenant_id: _tenant, ...changes } = row
    await this.#db
      .insertInto('sync_runs')
      .values(row)
      .onConflict((oc) => oc.column('id').doUpdateSet(changes))
      .execute()
  }

  async get(tenantId: string, id: string): Promise<SyncRun | undefined> {
    const row = await this.#db
      .selectFrom('sync_runs')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .executeTakeFirst()
    return row && toSyncRun(row)
  }

  async list(tenantId: string, limit: number): Promise<SyncRun[]> {
    const rows = await this.#db
      .selectFrom('sync_runs')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .orderBy('started_at', 'desc')
      .orderBy('id', 'desc')
      .limit(limit)
      .execute()
    return rows.map(toSyncRun)
  }

  async addAnchors(runId: string, immutableIds: readonly string[]): Promise<void> {
    if (immutableIds.length === 0) return
    // Chunked: SQLite caps the number of bound parameters in one statement.
    for (let i = 0; i < immutableIds.length; i += 400) {
      const rows = immutableIds.slice(i, i + 400).map((immutable_id) => ({ run_id: runId, immutable_id }))
      await bulkInsert(this.#db, 'sync_run_anchors', rows, { skipConflicts: true })
    }
  }

  async syncedUsersNotSeen(tenantId: string, runId: string): Promise<User[]> {
    const rows = await this.#db
      .selectFrom('users')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('on_prem_sync_enabled', '=', 1)
      .where('immutable_id', 'is not', null)
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom('sync_run_anchors')
              .select('run_id')
              .where('sync_run_anchors.run_id', '=', runId)
              .whereRef('sync_run_anchors.immutable_id', '=', 'users.immutable_id'),
          ),
        ),
      )
      .execute()
    return rows.map(toUser)
  }

  async dropAnchors(runId: string): Promise<void> {
    await this.#db.deleteFrom('sync_run_anchors').where('run_id', '=', runId).execute()
  }
}
