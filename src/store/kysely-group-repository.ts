/** @module Groups and memberships over Kysely. */
import { randomUUID } from 'node:crypto'
import { type Kysely, sql } from 'kysely'
import { IdbridgeError, type Result } from '../errors/idbridge-error.ts'
import type { Clock } from '../time/clock.ts'
import { bulkInsert } from './bulk-insert.ts'
import type { Database, GroupTable } from './database-schema.ts'
import { flag, toGroup, toUser } from './row-mappers.ts'
import type { GroupRepository } from './store.ts'
import type { Group, ListQuery, NewGroup, User } from './store-records.ts'
import { setSyncedMemberships } from './synced-memberships.ts'
import { isUniqueViolation } from './unique-violation.ts'
import { versionedUpdate } from './versioned-update.ts'

const conflict = (name: string | undefined) =>
  new IdbridgeError('IDB_ERR_CONFLICT', { detail: `group name in use (${name})`, data: { scimType: 'uniqueness' } })

function groupColumns(changes: Partial<NewGroup>): Partial<GroupTable> {
  const c: Partial<GroupTable> = {}
  if (changes.displayName !== undefined) {
    c.display_name = changes.displayName
    c.name_key = changes.displayName.toLowerCase()
  }
  if (changes.description !== undefined) c.description = changes.description
  if (changes.immutableId !== undefined) c.immutable_id = changes.immutableId
  if (changes.onPremisesSyncEnabled !== undefined) c.on_prem_sync_enabled = flag(changes.onPremisesSyncEnabled)
  return c
}

export class KyselyGroupRepository implements GroupRepository {
  readonly #db: Kysely<Database>
  readonly #clock: Clock
  constructor(db: Kysely<Database>, clock: Clock) {
    this.#db = db
    this.#clock = clock
  }

  async create(tenantId: string, group: NewGroup): Promise<Result<Group>> {
    const now = this.#clock.now()
    const row = {
      ...groupColumns(group),
      id: randomUUID(),
      tenant_id: tenantId,
      version: 1,
      created_at: now,
      updated_at: now,
    } as GroupTable
    try {
      await this.#db.insertInto('groups').values(row).execute()
    } catch (error) {
      if (isUniqueViolation(error)) return { ok: false, error: conflict(group.displayName) }
      throw error
    }
    return { ok: true, value: toGroup(row) }
  }

  async get(tenantId: string, id: string): Promise<Group | undefined> {
    const row = await this.#db
      .selectFrom('groups')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .executeTakeFirst()
    return row && toGroup(row)
  }

  async update(
    tenantId: string,
    id: string,
    changes: Partial<NewGroup>,
    options: { ifVersion?: number } = {},
  ): Promise<Result<Group>> {
    let query = this.#db
      .updateTable('groups')
      .set({ ...groupColumns(changes), version: sql`version + 1`, updated_at: this.#clock.now() })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
    if (options.ifVersion !== undefined) query = query.where('version', '=', options.ifVersion)
    return versionedUpdate({
      what: `group ${id}`,
      ifVersion: options.ifVersion,
      update: async () => (await query.executeTakeFirst()).numUpdatedRows,
      reread: () => this.get(tenantId, id),
      conflict: () => conflict(changes.displayName),
    })
  }

  async delete(tenantId: string, id: string): Promise<boolean> {
    const result = await this.#db
      .deleteFrom('groups')
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .executeTakeFirst()
    return result.numDeletedRows > 0n
  }

  async list(tenantId: string, query: ListQuery): Promise<{ total: number; groups: Group[] }> {
    let base = this.#db.selectFrom('groups').where('tenant_id', '=', tenantId)
    if (query.where) base = base.where(query.where)
    const { total } = await base.select((eb) => eb.fn.countAll<number | string>().as('total')).executeTakeFirstOrThrow()
    const rows = await base
      .selectAll()
      .orderBy('created_at')
      .orderBy('id')
      .limit(query.limit)
      .offset(query.offset)
      .execute()
    return { total: Number(total), groups: rows.map(toGroup) }
  }

  async setMembers(tenantId: string, groupId: string, userIds: readonly string[]): Promise<Result<void>> {
    const wanted = [...new Set(userIds)]
    if (wanted.length > 0) {
      // Checked against this tenant's users, so a member id from another tenant cannot be linked.
      const found = await this.#db
        .selectFrom('users')
        .select('id')
        .where('tenant_id', '=', tenantId)
        .where('id', 'in', wanted)
        .execute()
      if (found.length !== wanted.length) {
        const known = new Set(found.map((r) => r.id))
        const missing = wanted.filter((id) => !known.has(id)).slice(0, 5)
        return {
          ok: false,
          error: new IdbridgeError('IDB_ERR_INVALID_INPUT', {
            detail: `unknown member ids: ${missing.join(', ')}`,
            data: { scimType: 'invalidValue' },
          }),
        }
      }
    }
    await this.#db
      .deleteFrom('group_members')
      .where('tenant_id', '=', tenantId)
      .where('group_id', '=', groupId)
      .execute()
    if (wanted.length > 0) {
      await this.#db
        .insertInto('group_members')
        .values(wanted.map((user_id) => ({ tenant_id: tenantId, group_id: groupId, user_id })))
        .execute()
    }
    await this.#db
      .updateTable('groups')
      .set({ version: sql`version + 1`, updated_at: this.#clock.now() })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', groupId)
      .execute()
    return { ok: true, value: undefined }
  }

  async listMembers(tenantId: string, groupId: string): Promise<User[]> {
    const rows = await this.#db
      .selectFrom('group_members')
      .innerJoin('users', 'users.id', 'group_members.user_id')
      .selectAll('users')
      .where('group_members.tenant_id', '=', tenantId)
      .where('group_members.group_id', '=', groupId)
      .orderBy('users.user_principal_name')
      .execute()
    return rows.map(toUser)
  }

  async listGroupsOfUser(tenantId: string, userId: string): Promise<Group[]> {
    const rows = await this.#db
      .selectFrom('group_members')
      .innerJoin('groups', 'groups.id', 'group_members.group_id')
      .selectAll('groups')
      .where('group_members.tenant_id', '=', tenantId)
      .where('group_members.user_id', '=', userId)
      .orderBy('groups.display_name')
      .execute()
    return rows.map(toGroup)
  }

  async getByImmutableId(tenantId: string, immutableId: string): Promise<Group | undefined> {
    const row = await this.#db
      .selectFrom('groups')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('immutable_id', '=', immutableId)
      .executeTakeFirst()
    return row && toGroup(row)
  }

  async listByImmutableIds(tenantId: string, immutableIds: readonly string[]): Promise<Group[]> {
    const wanted = [...new Set(immutableIds)]
    const groups: Group[] = []
    for (let i = 0; i < wanted.length; i += 500) {
      const rows = await this.#db
        .selectFrom('groups')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('immutable_id', 'in', wanted.slice(i, i + 500))
        .execute()
      for (const row of rows) groups.push(toGroup(row))
    }
    return groups
  }

  async createMany(tenantId: string, groups: readonly NewGroup[]): Promise<{ created: Group[]; conflicts: NewGroup[] }> {
    const now = this.#clock.now()
    const rows = groups.map(
      (group) =>
        ({ ...groupColumns(group), id: randomUUID(), tenant_id: tenantId, version: 1, created_at: now, updated_at: now }) as GroupTable,
    )
    const inserted = new Set<string>()
    // A name in use skips that row instead of failing the statement (and a PostgreSQL transaction).
    for (let i = 0; i < rows.length; i += 200) {
      const done = await bulkInsert(this.#db, 'groups', rows.slice(i, i + 200), { skipConflicts: true, returningId: true })
      for (const { id } of done) inserted.add(id)
    }
    const created: Group[] = []
    const conflicts: NewGroup[] = []
    rows.forEach((row, i) => (inserted.has(row.id) ? created.push(toGroup(row)) : conflicts.push(groups[i]!)))
    return { created, conflicts }
  }

  setSyncedGroupsOfUsers(
    tenantId: string,
    groupIdsByUser: ReadonlyMap<string, readonly string[]>,
    newUserIds?: ReadonlySet<string>,
  ): Promise<void> {
    return setSyncedMemberships(this.#db, tenantId, groupIdsByUser, newUserIds)
  }

  async setSyncedGroupsOfUser(tenantId: string, userId: string, groupIds: readonly string[]): Promise<void> {
    await this.#db
      .deleteFrom('group_members')
      .where('tenant_id', '=', tenantId)
      .where('user_id', '=', userId)
      .where('group_id', 'in', (eb) =>
        eb.selectFrom('groups').select('id').where('tenant_id', '=', tenantId).where('on_prem_sync_enabled', '=', 1),
      )
      .execute()
    const wanted = [...new Set(groupIds)]
    if (wanted.length === 0) return
    await this.#db
      .insertInto('group_members')
      .values(wanted.map((group_id) => ({ tenant_id: tenantId, group_id, user_id: userId })))
      .execute()
  }
}
