/** @module Turns what a delta pass saw into upserts and deletes: re-reads, scope moves, tombstones, presence. */
import type { Client } from 'ldapts'
import type { AdEntry } from './ad-entry.ts'
import type { ChangeSignals } from './change-signals.ts'
import { pagedUsers, personFilter, readUsersByGuid } from './directory-reads.ts'
import type { DirectoryChange, DirectoryUserFailure } from './directory-records.ts'
import type { LdapConnectorOptions } from './ldap-connector-options.ts'
import { mapDirectoryUser, userAttributes } from './map-directory-user.ts'
import { type ScopeContext, symmetricDifference } from './scope-context.ts'
import type { SyncState } from './sync-state.ts'

export interface ReconcileResult {
  readonly changes: DirectoryChange[]
  readonly failures: DirectoryUserFailure[]
}

interface ReconcileInput {
  readonly client: Client
  readonly options: LdapConnectorOptions
  readonly state: SyncState
  readonly context: ScopeContext
  readonly signals: ChangeSignals
  readonly presenceCheck: boolean
}

/** Exported users no longer found in scope: candidates for a delete the tombstones did not show. */
async function missingFromScope(input: ReconcileInput): Promise<string[]> {
  const present = new Set<string>()
  for (const ou of input.context.ous) {
    for await (const page of pagedUsers(
      input.client,
      ou,
      input.options.pageSize ?? 500,
      ['objectGUID'],
      personFilter,
    )) {
      for (const entry of page) {
        const guid = entry.buffer('objectGUID')?.toString('base64')
        if (!guid || (input.context.members && !input.context.members.has(guid))) continue
        present.add(guid)
        // After a restart only anchors are known; learn the DN so a later delete can name it.
        const live = input.state.live.get(guid)
        if (live && !live.distinguishedName) input.state.live.set(guid, { ...live, distinguishedName: entry.dn })
      }
    }
  }
  return [...input.state.live.keys()].filter((guid) => !present.has(guid))
}

/** Users affected by a change of an in-scope group: their groupDns must be re-exported. */
function usersOfChangedGroups(input: ReconcileInput, changedDns: readonly string[]): string[] {
  const groups = changedDns.filter((dn) => input.context.isScopeGroup(dn))
  if (groups.length === 0) return []
  const lower = new Set(groups.map((dn) => dn.toLowerCase()))
  return [...input.state.live]
    .filter(([, user]) => user.groupDns.some((dn) => lower.has(dn.toLowerCase())))
    .map(([guid]) => guid)
}

/**
 * Decides, for every object that may have changed, whether the tenant must upsert it, delete it as
 * deleted, delete it as out of scope, or nothing. Updates `state` as it goes.
 */
export async function reconcileChanges(input: ReconcileInput): Promise<ReconcileResult> {
  const { state, context, signals } = input
  const changes: DirectoryChange[] = []
  const failures: DirectoryUserFailure[] = []

  for (const [guid, tombstoneDn] of signals.tombstones) {
    const live = state.live.get(guid)
    if (!live) continue
    changes.push({
      kind: 'delete',
      sourceAnchor: state.anchors.get(guid)!,
      distinguishedName: live.distinguishedName || tombstoneDn,
      reason: 'deleted',
    })
    state.forget(guid)
  }

  const candidates = new Set([...signals.changed.keys()].filter((g) => !signals.tombstones.has(g)))
  if (state.protectedGuids)
    for (const g of symmetricDifference(state.protectedGuids, context.protectedGuids)) candidates.add(g)
  if (state.memberGuids && context.members)
    for (const g of symmetricDifference(state.memberGuids, context.members)) candidates.add(g)
  if (input.presenceCheck) for (const g of await missingFromScope(input)) candidates.add(g)

  const entries = new Map<string, AdEntry>()
  const read = async (guids: string[]) => {
    for (const entry of await readUsersByGuid(input.client, input.options.baseDn, guids, userAttributes)) {
      const guid = entry.buffer('objectGUID')
      if (guid) entries.set(guid.toString('base64'), entry)
    }
  }
  await read([...candidates])
  // Changed objects that are not users may be groups whose members must be re-exported.
  const nonUsers = [...signals.changed]
    .filter(([guid]) => candidates.has(guid) && !entries.has(guid))
    .map(([, dn]) => dn)
  const extra = usersOfChangedGroups(input, nonUsers).filter((g) => !candidates.has(g))
  for (const g of extra) candidates.add(g)
  if (extra.length > 0) await read(extra)

  for (const guid of candidates) {
    const entry = entries.get(guid)
    const live = state.live.get(guid)
    if (entry && context.inScope(entry)) {
      const mapped = mapDirectoryUser(entry, context)
      if (!mapped.ok) {
        failures.push(mapped.failure)
        continue
      }
      changes.push({ kind: 'upsert', user: mapped.user })
      state.remember(mapped.user)
    } else if (live) {
      const anchor = state.anchors.get(guid)!
      const dn = entry?.dn ?? live.distinguishedName
      changes.push({
        kind: 'delete',
        sourceAnchor: anchor,
        distinguishedName: dn,
        reason: entry ? 'out-of-scope' : 'deleted',
      })
      state.forget(guid)
    }
  }
  state.protectedGuids = new Set(context.protectedGuids)
  state.memberGuids = context.members ? new Set(context.members) : null
  return { changes, failures }
}
