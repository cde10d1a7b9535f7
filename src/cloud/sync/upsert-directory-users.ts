/** @module A sync batch's upserts, joined on sourceAnchor with a few statements per batch instead of several per user. */
import type { SyncBatch } from '../../protocol/sync-batch.ts'
import type { Store } from '../../store/store.ts'
import type { NewUser, Tenant, User } from '../../store/store-records.ts'
import type { Actor, UserDirectory } from '../users/user-directory.ts'
import { changedFields, directoryUserFields, groupAnchor, groupDisplayName } from './directory-user-fields.ts'

type DirectoryUserMessage = Extract<SyncBatch['changes'][number], { kind: 'upsert' }>['user']

/** What happened to one upsert; `label` is the UPN, with the reason when it failed. */
export interface UpsertOutcome {
  readonly kind: 'created' | 'updated' | 'unchanged' | 'failed'
  readonly label: string
}

/** A user this batch creates but has not inserted yet: later upserts see its anchor and UPN as taken. */
const PENDING = Symbol('pending create')
type Known = User | typeof PENDING

/**
 * Applies `messages` in order with the outcome each would have had one by one: looks the batch up
 * by anchor and by UPN in one query each, inserts new users (and their audit entries) in multi-row
 * statements, updates only users whose AD-owned fields changed, and then sets group memberships
 * for the whole batch, writing only the ones that change. Pending creates are inserted before any
 * update, so that a UPN moving between users in one batch fails the same user it did one by one.
 *
 * @example
 * const outcomes = await upsertDirectoryUsers({ store: tx, users }, tenant, batchUsers, actor)
 */
export async function upsertDirectoryUsers(
  deps: { readonly store: Store; readonly users: UserDirectory },
  tenant: Tenant,
  messages: readonly DirectoryUserMessage[],
  actor: Actor,
): Promise<UpsertOutcome[]> {
  const { store, users } = deps
  const fields = messages.map((m) => directoryUserFields(m, tenant))
  const byAnchor = new Map<string, Known>()
  for (const user of await store.users.listByImmutableIds(tenant.id, messages.map((m) => m.sourceAnchor)))
    byAnchor.set(user.onPremises?.immutableId ?? '', user)
  const byUpn = new Map<string, Known>()
  const unjoined = fields.filter((f) => !byAnchor.has(f.onPremises?.immutableId ?? ''))
  for (const user of await store.users.listByUserPrincipalNames(tenant.id, unjoined.map((f) => f.userPrincipalName)))
    byUpn.set(user.userPrincipalName.toLowerCase(), user)

  const outcomes: UpsertOutcome[] = []
  const groupDnsOf = new Map<string, readonly string[]>()
  const createdIds = new Set<string>()
  let pending: { index: number; user: NewUser }[] = []
  const flush = async () => {
    if (pending.length === 0) return
    const batch = pending
    pending = []
    const { created, conflicts } = await users.createMany(tenant, batch.map((p) => p.user), actor)
    const refused = new Set(conflicts)
    let next = 0
    for (const { index, user } of batch) {
      const anchor = user.onPremises?.immutableId ?? ''
      const upnKey = user.userPrincipalName.toLowerCase()
      if (refused.has(user)) {
        // Only a writer outside this batch can get here (the lookups above saw everything else).
        byAnchor.delete(anchor)
        byUpn.delete(upnKey)
        const detail = `userPrincipalName or sourceAnchor already in use (${user.userPrincipalName})`
        outcomes[index] = { kind: 'failed', label: `${user.userPrincipalName}: IDB_ERR_CONFLICT ${detail}` }
        continue
      }
      const made = created[next++]!
      byAnchor.set(anchor, made)
      byUpn.set(upnKey, made)
      groupDnsOf.set(made.id, messages[index]!.groupDns)
      createdIds.add(made.id)
      outcomes[index] = { kind: 'created', label: made.userPrincipalName }
    }
  }

  // Checked before a rename rather than left to the unique index: on PostgreSQL the violation
  // would abort the batch's transaction, and every other user of the batch with it.
  const upnHeldByOther = async (upn: string, id: string) => {
    const key = upn.toLowerCase()
    if (!byUpn.has(key)) {
      const holder = await store.users.getByUserPrincipalName(tenant.id, upn)
      if (holder) byUpn.set(key, holder)
    }
    const holder = byUpn.get(key)
    return holder !== undefined && holder !== PENDING && holder.id !== id
  }

  for (const [index, message] of messages.entries()) {
    const next = fields[index]!
    const label = next.userPrincipalName
    const upnKey = label.toLowerCase()
    if (byAnchor.get(message.sourceAnchor) === PENDING) await flush()
    let current = byAnchor.get(message.sourceAnchor) as User | undefined
    if (!current) {
      const sameName = byUpn.get(upnKey)
      // Soft match: a cloud user with the same UPN becomes the synced user, except an admin, whose
      // takeover by whoever controls AD would be an escalation (Entra blocks it the same way).
      if (sameName && sameName !== PENDING && !sameName.onPremises && !sameName.roles.includes('GlobalAdministrator'))
        current = sameName
      else if (sameName) {
        outcomes[index] = { kind: 'failed', label: `${label}: userPrincipalName is taken in the tenant` }
        continue
      }
    }
    if (!current) {
      pending.push({ index, user: { ...next, roles: [], licenses: [], passwordPolicies: [] } })
      byAnchor.set(message.sourceAnchor, PENDING)
      byUpn.set(upnKey, PENDING)
      continue
    }
    const changes = changedFields(current, next)
    if (Object.keys(changes).length === 0) {
      groupDnsOf.set(current.id, message.groupDns)
      outcomes[index] = { kind: 'unchanged', label }
      continue
    }
    await flush()
    if (changes.userPrincipalName !== undefined && (await upnHeldByOther(changes.userPrincipalName, current.id))) {
      const detail = `userPrincipalName or sourceAnchor already in use (${changes.userPrincipalName})`
      outcomes[index] = { kind: 'failed', label: `${label}: IDB_ERR_CONFLICT ${detail}` }
      continue
    }
    const result = await users.update(tenant, current.id, changes, actor)
    if (!result.ok) {
      outcomes[index] = { kind: 'failed', label: `${label}: ${result.error.code} ${result.error.detail ?? ''}`.trim() }
      continue
    }
    // The old UPN is free for a later user of this batch (the lookups hold other copies of the user).
    const oldKey = current.userPrincipalName.toLowerCase()
    const holder = byUpn.get(oldKey)
    if (holder !== PENDING && holder?.id === current.id) byUpn.delete(oldKey)
    byUpn.set(upnKey, result.value)
    byAnchor.set(message.sourceAnchor, result.value)
    groupDnsOf.set(result.value.id, message.groupDns)
    outcomes[index] = { kind: 'updated', label }
  }
  await flush()
  await setSyncedGroups(store, tenant, groupDnsOf, createdIds)
  return outcomes
}

/** Finds or creates the synced groups the DNs name, then sets every user's synced memberships. */
async function setSyncedGroups(
  store: Store,
  tenant: Tenant,
  groupDnsOf: ReadonlyMap<string, readonly string[]>,
  createdIds: ReadonlySet<string>,
) {
  const dnOf = new Map<string, string>()
  for (const dns of groupDnsOf.values()) for (const dn of dns) if (!dnOf.has(groupAnchor(dn))) dnOf.set(groupAnchor(dn), dn)
  const idOf = new Map<string, string>()
  for (const group of await store.groups.listByImmutableIds(tenant.id, [...dnOf.keys()]))
    idOf.set(group.immutableId ?? '', group.id)
  const missing = [...dnOf].filter(([anchor]) => !idOf.has(anchor))
  const spec = ([anchor, dn]: [string, string]) => ({ description: dn, immutableId: anchor, onPremisesSyncEnabled: true })
  const first = await store.groups.createMany(
    tenant.id,
    missing.map((entry) => ({ ...spec(entry), displayName: groupDisplayName(entry[1]) })),
  )
  // Two AD groups may share a CN in different OUs; the DN keeps the second one unique.
  const second = await store.groups.createMany(
    tenant.id,
    first.conflicts.map((group) => ({ ...group, displayName: group.description ?? '' })),
  )
  for (const group of [...first.created, ...second.created]) idOf.set(group.immutableId ?? '', group.id)
  const groupIdsOf = new Map<string, string[]>()
  for (const [userId, dns] of groupDnsOf) {
    // A group that could not be created is left out, as before: the user still syncs.
    groupIdsOf.set(userId, dns.flatMap((dn) => idOf.get(groupAnchor(dn)) ?? []))
  }
  await store.groups.setSyncedGroupsOfUsers(tenant.id, groupIdsOf, createdIds)
}
