/** @module Full import: every user in scope, paged, plus the cookie the next delta starts from. */
import { IdbridgeError } from '../../errors/idbridge-error.ts'
import { classifyDirectoryError } from './classify-directory-error.ts'
import type { DcSession } from './dc-session.ts'
import type { DeltaCookie, FullImportOptions, FullImportResult } from './directory-connector.ts'
import { pagedUsers, readHighestUsn } from './directory-reads.ts'
import type { DirectoryUser, DirectoryUserFailure } from './directory-records.ts'
import { dirSyncPass } from './dirsync-pass.ts'
import type { LdapConnectorOptions } from './ldap-connector-options.ts'
import { inProtectedGroup, mapDirectoryUser, userAttributes } from './map-directory-user.ts'
import { loadScopeContext } from './scope-context.ts'
import type { SyncState } from './sync-state.ts'

export interface FullImportRun extends FullImportResult {
  /** Set when the DC refused DirSync and the cookie is a uSNChanged watermark instead. */
  readonly dirSyncRefusal: IdbridgeError | null
}

/**
 * A DirSync failure that means "use uSNChanged" (no right: 50, unknown control: 12, unwilling: 53,
 * or the control silently ignored) as AGENT_ERR_DC_DIRSYNC_REFUSED with the DC's codes kept; null
 * for anything else, which the caller rethrows.
 */
export function asDirSyncRefusal(err: unknown, dc: string): IdbridgeError | null {
  const error = classifyDirectoryError(err, dc)
  const code = error.data?.ldapResultCode
  if (!(code === 50 || code === 12 || code === 53 || /ignored the DirSync control/.test(error.detail ?? '')))
    return null
  return new IdbridgeError('AGENT_ERR_DC_DIRSYNC_REFUSED', {
    detail: `${error.detail} DirSync needs "Replicating Directory Changes" on ${dc}'s domain root; using uSNChanged instead.`,
    cause: err,
    data: { ...error.data },
  })
}

/**
 * Takes the delta starting point first (so changes made during the read are delivered again by
 * the next delta, never lost), then reads each scope OU page by page, handing each page's users to
 * `onUsers` as soon as it is read, so that they are exported while the DC reads the next page.
 */
export async function runFullImport(
  session: DcSession,
  options: LdapConnectorOptions,
  state: SyncState,
  sink: FullImportOptions = {},
): Promise<FullImportRun> {
  const { client, dc } = session
  const highestUsn = await readHighestUsn(client)
  let cookie: DeltaCookie = { mode: 'usn', value: highestUsn, dc, highestUsn }
  let dirSyncRefusal: IdbridgeError | null = null
  if (!options.forceUsnFallback) {
    try {
      const pass = await dirSyncPass(client, options.baseDn, Buffer.alloc(0), { cookieOnly: true })
      cookie = { mode: 'dirsync', value: pass.cookie.toString('base64'), dc, highestUsn }
    } catch (err) {
      dirSyncRefusal = asDirSyncRefusal(err, dc)
      if (!dirSyncRefusal) throw err
    }
  }
  // Every user's memberOf is read anyway, so protection by group membership comes from it.
  const context = await loadScopeContext(client, options, state, 'from-memberOf')
  const users: DirectoryUser[] = []
  const failures: DirectoryUserFailure[] = []
  const seen = new Set<string>()
  const viaGroups = new Set<string>()
  for (const ou of context.ous) {
    for await (const page of pagedUsers(client, ou, options.pageSize ?? 500, userAttributes)) {
      sink.signal?.throwIfAborted()
      const fresh: DirectoryUser[] = []
      for (const entry of page) {
        if (!context.inScope(entry)) continue
        const mapped = mapDirectoryUser(entry, context)
        if (!mapped.ok) {
          failures.push(mapped.failure)
          continue
        }
        // Overlapping scope OUs would otherwise export a user twice.
        if (seen.has(mapped.user.objectGuid)) continue
        seen.add(mapped.user.objectGuid)
        if (mapped.user.protected && inProtectedGroup(entry, context.protectedGroups)) viaGroups.add(mapped.user.objectGuid)
        fresh.push(mapped.user)
      }
      users.push(...fresh)
      if (fresh.length > 0) sink.onUsers?.(fresh)
      sink.onProgress?.(users.length + failures.length)
    }
  }
  // The tenant now has exactly these; a user that failed to map keeps its earlier export.
  const failedDns = new Set(failures.map((f) => f.distinguishedName.toLowerCase()))
  for (const [guid, live] of state.live) {
    if (!failedDns.has(live.distinguishedName.toLowerCase())) state.forget(guid)
  }
  for (const user of users) state.remember(user)
  // Protected users in scope; the next delta compares its domain-wide search with this, and a
  // protected user outside scope that shows up in the difference is re-read once and dropped.
  state.protectedGuids = viaGroups
  state.memberGuids = context.members ? new Set(context.members) : null
  state.lastPresenceCheckAt = Date.now()
  return { users, failures, cookie, dirSyncRefusal }
}
