/** @module Synced group memberships of many users at once, written as a difference. */
import type { Kysely } from 'kysely'
import { bulkInsert } from './bulk-insert.ts'
import type { Database } from './database-schema.ts'

/**
 * Makes each user's synced-group memberships exactly `groupIdsByUser` (cloud groups are left
 * alone): one read for all users but `newUserIds`, a delete only for users that left a group, one multi-row insert
 * for the joins. Only users whose synced groups changed cost a write, so a full import of an
 * unchanged AD writes nothing here; the one-user-at-a-time version deleted and re-inserted them all.
 *
 * @example
 * await setSyncedMemberships(db, tenantId, new Map([[userId, [salesId]]]))
 */
export async function setSyncedMemberships(
  db: Kysely<Database>,
  tenantId: string,
  groupIdsByUser: ReadonlyMap<string, readonly string[]>,
  newUserIds: ReadonlySet<string> = new Set(),
): Promise<void> {
  // Users created in this transaction have no memberships yet: nothing to read for them.
  const userIds = [...groupIdsByUser.keys()].filter((id) => !newUserIds.has(id))
  const current = new Map<string, Set<string>>()
  for (let i = 0; i < userIds.length; i += 500) {
    const rows = await db
      .selectFrom('group_members')
      .innerJoin('groups', 'groups.id', 'group_members.group_id')
      .select(['group_members.user_id', 'group_members.group_id'])
      .where('group_members.tenant_id', '=', tenantId)
      .where('groups.on_prem_sync_enabled', '=', 1)
      .where('group_members.user_id', 'in', userIds.slice(i, i + 500))
      .execute()
    for (const row of rows) current.set(row.user_id, (current.get(row.user_id) ?? new Set()).add(row.group_id))
  }
  const added: { tenant_id: string; group_id: string; user_id: string }[] = []
  for (const [userId, groupIds] of groupIdsByUser) {
    const had = current.get(userId) ?? new Set<string>()
    const wanted = new Set(groupIds)
    for (const groupId of wanted) {
      if (!had.has(groupId)) added.push({ tenant_id: tenantId, group_id: groupId, user_id: userId })
    }
    const gone = [...had].filter((groupId) => !wanted.has(groupId))
    if (gone.length > 0) {
      await db
        .deleteFrom('group_members')
        .where('tenant_id', '=', tenantId)
        .where('user_id', '=', userId)
        .where('group_id', 'in', gone)
        .execute()
    }
  }
  for (let i = 0; i < added.length; i += 500) await bulkInsert(db, 'group_members', added.slice(i, i + 500))
}
