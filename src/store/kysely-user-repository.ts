/** @module Users over Kysely. Every statement carries the tenant id. */
import { randomUUID } from 'node:crypto'
import { type Kysely, sql } from 'kysely'
import { IdbridgeError, type Result } from '../errors/idbridge-error.ts'
import type { Clock } from '../time/clock.ts'
import type { Database } from './database-schema.ts'
import { toUser, userColumns } from './row-mappers.ts'
import type { UserRepository } from './store.ts'
import type { ListQuery, NewUser, User, UserChanges } from './store-records.ts'
import { isUniqueViolation } from './unique-violation.ts'
import { versionedUpdate } from './versioned-update.ts'

const conflict = (upn: string | undefined) =>
  new IdbridgeError('IDB_ERR_CONFLICT', {
    detail: upn ? `userPrincipalName or sourceAnchor already in use (${upn})` : 'a unique value is already in use',
    data: { scimType: 'uniqueness' },
  })

export class KyselyUserRepository implements UserRepository {
  readonly #db: Kysely<Database>
  readonly #clock: Clock
  constructor(db: Kysely<Database>, clock: Clock) {
    this.#db = db
    this.#clock = clock
  }

  async create(tenantId: string, user: NewUser): Promise<Result<User>> {
    const now = this.#clock.now()
    const row = {
      ...userColumns(user),
      id: randomUUID(),
      tenant_id: tenantId,
      sessions_valid_from: 0,
      version: 1,
      created_at: now,
      updated_at: now,
    }
    try {
      await this.#db
        .insertInto('users')
        .values(row as Database['users'])
        .execute()
    } catch (error) {
      if (isUniqueViolation(error)) return { ok: false, error: conflict(user.userPrincipalName) }
      throw error
    }
    return { ok: true, value: toUser(row as Database['users']) }
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
