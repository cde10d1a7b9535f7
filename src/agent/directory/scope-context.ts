/** @module The facts one import run decides scope with: OUs, group members, protected users. */
import type { Client } from 'ldapts'
import { type AdEntry, isDnUnder, normalizeDn } from './ad-entry.ts'
import { memberGuids, protectedGroupClosure, protectedGroupDns, protectedGuids } from './directory-reads.ts'
import type { LdapConnectorOptions } from './ldap-connector-options.ts'
import type { UserMappingContext } from './map-directory-user.ts'
import type { SyncState } from './sync-state.ts'

export interface ScopeContext extends UserMappingContext {
  /** The OUs to read (the base DN when the scope names none). */
  readonly ous: readonly string[]
  /** Members of the scope group (nested included), or null when the scope has no group. */
  readonly members: ReadonlySet<string> | null
  readonly protectedGroupDns: readonly string[]
  inScope(entry: AdEntry): boolean
}

/**
 * Reads the protected-group and scope-group facts afresh: a few group searches, plus one user
 * search for the protected users unless `protectedUsers` is 'from-memberOf'. A full import reads
 * every user's memberOf anyway and passes that, so it pays no scan of all users.
 */
export async function loadScopeContext(
  client: Client,
  options: LdapConnectorOptions,
  state: SyncState,
  protectedUsers: 'search' | 'from-memberOf' = 'search',
): Promise<ScopeContext> {
  const ous = options.scope.ous.length > 0 ? options.scope.ous : [options.baseDn]
  const groupDn = options.scope.groupDn
  const groups = await protectedGroupDns(client, options.baseDn)
  const closure = await protectedGroupClosure(client, options.baseDn, groups)
  const protectedSet =
    protectedUsers === 'search' ? await protectedGuids(client, options.baseDn, closure) : new Set<string>()
  const members = groupDn ? await memberGuids(client, options.baseDn, groupDn) : null
  const groupOus = [...ous, ...(options.groupOus ?? [])]
  return {
    ous,
    members,
    protectedGroupDns: groups,
    knownAnchors: state.anchors,
    protectedGuids: protectedSet,
    protectedGroups: new Set(closure.map(normalizeDn)),
    isScopeGroup: (dn) => (groupDn !== undefined && isDnUnder(dn, groupDn)) || groupOus.some((ou) => isDnUnder(dn, ou)),
    inScope(entry) {
      if (!ous.some((ou) => isDnUnder(entry.dn, ou))) return false
      if (!members) return true
      const guid = entry.buffer('objectGUID')
      return guid !== null && members.has(guid.toString('base64'))
    },
  }
}

/** Members of `a` not in `b` and of `b` not in `a`. */
export function symmetricDifference(a: ReadonlySet<string>, b: ReadonlySet<string>): string[] {
  return [...[...a].filter((x) => !b.has(x)), ...[...b].filter((x) => !a.has(x))]
}
