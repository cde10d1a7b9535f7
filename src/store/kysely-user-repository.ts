/** @module Users over Kysely. Every statement carries the tenant id. */
import { randomUUID } from 'node:crypto'
import { type Kysely, sql } from 'kysely'
import { IdbridgeError, type Result } from '../errors/idbridge-error.ts'
import type { Clock } from '../time/clock.ts'
import type { Database } from './database-schema.ts'
import { bulkInsert } from './bulk-insert.ts'
import { newUserRow, toUser, userColumns } from './row-mappers.ts'
import type { UserRepository } from './store.ts'
import type { ListQuery, NewUser, User, UserChanges } from './store-records.ts'
import { isUniqueViolation } from './unique-violation.ts'
import { versionedUpdate } from './versioned-update.ts'

const conflict = (upn: string | undefined) =>
  new IdbridgeError('IDB_ERR_CONFLICT', {
    detail: upn ? `userPrincipalName or sourceAnchor already in use (${upn})` : 'a unique value is already in use',
    data: { scimType: 'uniqueness' },
  })

/** Rows per multi-row insert: 22 columns each stays far below either backend's parameter limit. */
const insertChunk = 200
const lookupChunk = 500

export class KyselyUserRepository implements UserRepository {
  readonly #db: Kysely<Database>
  readonly #clock: Clock
  constructor(db: Kysely<Database>, clock: Clock) {
    this.#db = db
    this.#clock = clock
  }

  async create(tenantId: string, user: NewUser): Promise<Result<User>> {
    const row = newUserRow(user, randomUUID(), tenantId, this.#clock.now())
    try {
      await this.#db.insertInto('users').values(row).execute()
    } catch (error) {
      if (isUniqueViolation(error)) return { ok: false, error: conflict(user.userPrincipalName) }
      throw error
    }
    return { ok: true, value: toUser(row) }
  }

  async createMany(tenantId: string, users: readonly NewUser[]): Promise<{ created: User[]; conflicts: NewUser[] }> {
    const now = this.#clock.now()
    const rows = users.map((user) => newUserRow(user, randomUUID(), tenantId, now))
    const inserted = new Set<string>()
    // A taken UPN or anchor skips that row (DO NOTHING) instead of failing the statement, which on
    // PostgreSQL would also abort the caller's transaction.
    for (let i = 0; i < rows.length; i += insertChunk) {
      const done = await bulkInsert(this.#db, 'users', rows.slice(i, i + insertChunk), {
        skipConflicts: true,
        returningId: true,
      })
      for (const { id } of done) inserted.add(id)
    }
    const created: User[] = []
    const conflicts: NewUser[] = []
    rows.forEach((row, i) => {
      const user = users[i]!
      // Built from the input rather than parsed back from the row: the same record, without the JSON round trip.
      if (inserted.has(row.id)) created.push({ ...user, id: row.id, tenantId, sessionsValidFrom: 0, version: 1, createdAt: now, updatedAt: now })
      else conflicts.push(user)
    })
    return { created, conflicts }
  }

  async listByImmutableIds(tenantId: string, immutableIds: readonly string[]): Promise<User[]> {
    return this.#listWhereIn(tenantId, 'immutable_id', [...new Set(immutableIds)])
  }

  async listByUserPrincipalNames(tenantId: string, upns: readonly string[]): Promise<User[]> {
    return this.#listWhereIn(tenantId, 'upn_key', [...new Set(upns.map((upn) => upn.toLowerCase()))])
  }

  async #listWhereIn(tenantId: string, column: 'immutable_id' | 'upn_key', values: readonly string[]): Promise<User[]> {
    const users: User[] = []
    // Chunked: SQLite caps the number of bound parameters in one statement.
    for (let i = 0; i < values.length; i += lookupChunk) {
      const rows = await this.#db
        .selectFrom('users')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where(column, 'in', values.slice(i, i + lookupChunk))
        .execute()
      for (const row of rows) users.push(toUser(row))
    }
    return users
  }

  async get(tenantId: string, id: string): Promise<User | undefined> {
    const row = await this.#db
      .selectFrom('users')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .executeTakeFirst()
    return row && toUser(row)
  }

  async getByUserPrincipalName(tenantId: string, upn: string): Promise<User | undefined> {
    const row = await this.#db
      .selectFrom('users')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('upn_key', '=', upn.toLowerCase())
      .executeTakeFirst()
    return row && toUser(row)
  }

  async getByImmutableId(tenantId: string, immutableId: string): Promise<User | undefined> {
    const row = await this.#db
      .selectFrom('users')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('immutable_id', '=', immutableId)
      .executeTakeFirst()
    return row && toUser(row)
  }

  async update(
    tenantId: string,
    id: string,
    changes: UserChanges,
    options: { ifVersion?: number } = {},
  ): Promise<Result<User>> {
    let query = this.#db
      .updateTable('users')
      .set({ ...userColumns(changes), version: sql`version + 1`, updated_at: this.#clock.now() })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
    if (options.ifVersion !== undefined) query = query.where('version', '=', options.ifVersion)
    return versionedUpdate({
      what: `user ${id}`,
      ifVersion: options.ifVersion,
      update: async () => (await query.executeTakeFirst()).numUpdatedRows,
      reread: () => this.get(tenantId, id),
      conflict: () => conflict(changes.userPrincipalName),
    })
  }

  async updateMany(tenantId: string, ids: readonly string[], changes: UserChanges): Promise<number> {
    if (ids.length === 0) return 0
    const result = await this.#db
      .updateTable('users')
      .set({ ...userColumns(changes), version: sql`version + 1`, updated_at: this.#clock.now() })
      .where('tenant_id', '=', tenantId)
      .where('id', 'in', ids)
      .executeTakeFirst()
    return Number(result.numUpdatedRows)
  }

  async revokeSessions(tenantId: string, id: string, at: number): Promise<User | undefined> {
    await this.#db
      .updateTable('users')
      .set({ sessions_valid_from: at, version: sql`version + 1`, updated_at: this.#clock.now() })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .execute()
    await this.#db.deleteFrom('sessions').where('tenant_id', '=', tenantId).where('user_id', '=', id).execute()
    return this.get(tenantId, id)
  }

  async delete(tenantId: string, id: string): Promise<boolean> {
    const result = await this.#db
      .deleteFrom('users')
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .executeTakeFirst()
    return result.numDeletedRows > 0n
  }

  async list(tenantId: string, query: ListQuery): Promise<{ total: number; users: User[] }> {
    let base = this.#db.selectFrom('users').where('tenant_id', '=', tenantId)
    if (query.where) base = base.where(query.where)
    const { total } = await base.select((eb) => eb.fn.countAll<number | string>().as('total')).executeTakeFirstOrThrow()
    const rows = await base
      .selectAll()
      .orderBy('created_at')
      .orderBy('id')
      .limit(query.limit)
      .offset(query.offset)
      .execute()
    return { total: Number(total), users: rows.map(toUser) }
  }
}
