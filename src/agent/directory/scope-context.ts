/** @module The facts one import run decides scope with: OUs, group members, protected users. */
import type { Client } from 'ldapts'
import { type AdEntry, isDnUnder } from './ad-entry.ts'
import { memberGuids, protectedGroupDns, protectedGuids } from './directory-reads.ts'
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

/** Reads the protected-group and scope-group facts afresh; two or three cheap searches. */
export async function loadScopeContext(
  client: Client,
  options: LdapConnectorOptions,
  state: SyncState,
): Promise<ScopeContext> {
  const ous = options.scope.ous.length > 0 ? options.scope.ous : [options.baseDn]
  const groupDn = options.scope.groupDn
  const groups = await protectedGroupDns(client, options.baseDn)
  const protectedSet = await protectedGuids(client, options.baseDn, groups)
  const members = groupDn ? await memberGuids(client, options.baseDn, groupDn) : null
  const groupOus = [...ous, ...(options.groupOus ?? [])]
  return {
    ous,
    members,
    protectedGroupDns: groups,
    knownAnchors: state.anchors,
    protectedGuids: protectedSet,
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
