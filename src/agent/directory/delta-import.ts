/** @module Delta import on one DC: DirSync from the cookie, or uSNChanged when DirSync is refused. */
import type { IdbridgeError } from '../../errors/idbridge-error.ts'
import type { ChangeSignals } from './change-signals.ts'
import type { DcSession } from './dc-session.ts'
import type { DeltaCookie, DeltaImportResult } from './directory-connector.ts'
import { readHighestUsn } from './directory-reads.ts'
import { dirSyncPass } from './dirsync-pass.ts'
import { asDirSyncRefusal } from './full-import.ts'
import type { LdapConnectorOptions } from './ldap-connector-options.ts'
import { reconcileChanges } from './reconcile-changes.ts'
import { loadScopeContext } from './scope-context.ts'
import type { SyncState } from './sync-state.ts'
import { usnPass } from './usn-pass.ts'

export type DeltaImportRun =
  | { readonly kind: 'done'; readonly result: DeltaImportResult; readonly dirSyncRefusal: IdbridgeError | null }
  /** A refused DirSync cookie without a USN to fall back to: only a full resync is safe. */
  | { readonly kind: 'needs-resync'; readonly dirSyncRefusal: IdbridgeError }

/** Runs one delta from `cookie` on `session`, which must be the DC that issued the cookie. */
export async function runDeltaImport(
  session: DcSession,
  options: LdapConnectorOptions,
  state: SyncState,
  cookie: DeltaCookie,
): Promise<DeltaImportRun> {
  const { client, dc } = session
  const highestUsn = await readHighestUsn(client)
  const pageSize = options.pageSize ?? 500
  let signals: ChangeSignals
  let next: DeltaCookie
  let dirSyncRefusal: IdbridgeError | null = null
  const usnFrom = cookie.mode === 'usn' ? cookie.value : cookie.highestUsn
  if (cookie.mode === 'dirsync' && !options.forceUsnFallback) {
    try {
      const pass = await dirSyncPass(client, options.baseDn, Buffer.from(cookie.value, 'base64'))
      signals = pass.signals
      next = { mode: 'dirsync', value: pass.cookie.toString('base64'), dc, highestUsn }
    } catch (err) {
      dirSyncRefusal = asDirSyncRefusal(err, dc)
      if (!dirSyncRefusal) throw err
      if (usnFrom === undefined) return { kind: 'needs-resync', dirSyncRefusal }
      signals = await usnPass(client, options.baseDn, usnFrom, pageSize)
      next = { mode: 'usn', value: highestUsn, dc, highestUsn }
    }
  } else {
    if (usnFrom === undefined)
      throw new Error('runDeltaImport: a DirSync cookie without highestUsn cannot be used in uSNChanged mode')
    signals = await usnPass(client, options.baseDn, usnFrom, pageSize)
    next = { mode: 'usn', value: highestUsn, dc, highestUsn }
  }
  const context = await loadScopeContext(client, options, state)
  const interval = options.presenceCheckIntervalMs ?? 60_000
  const presenceCheck = Date.now() - state.lastPresenceCheckAt >= interval
  const { changes, failures } = await reconcileChanges({ client, options, state, context, signals, presenceCheck })
  if (presenceCheck) state.lastPresenceCheckAt = Date.now()
  return { kind: 'done', result: { changes, failures, cookie: next }, dirSyncRefusal }
}
