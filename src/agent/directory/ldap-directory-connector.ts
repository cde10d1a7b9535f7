/** @module The DirectoryConnector for Active Directory (and Samba AD) over LDAPS or StartTLS with ldapts. */
import type { IdbridgeError, Result } from '../../errors/idbridge-error.ts'
import { type ChangeWatch, startChangeWatch } from './change-watcher.ts'
import { classifyDirectoryError } from './classify-directory-error.ts'
import { type DcSession, openPreferredSession } from './dc-session.ts'
import { runDeltaImport } from './delta-import.ts'
import type {
  DeltaCookie,
  DeltaImportResult,
  DirectoryConnector,
  FullImportOptions,
  FullImportResult,
} from './directory-connector.ts'
import { directoryEvent, directoryFailureEvent } from './directory-events.ts'
import { readUsersByGuid } from './directory-reads.ts'
import type { DirectoryChange, DirectoryUserFailure } from './directory-records.ts'
import { type FullImportRun, runFullImport } from './full-import.ts'
import type { LdapConnectorOptions } from './ldap-connector-options.ts'
import { SyncState } from './sync-state.ts'

/**
 * Reads users in scope from the first preferred DC that answers. Sessions are opened per call, so
 * a DC that goes away between calls costs nothing but the fall-through to the next one.
 *
 * @example
 * const connector = new LdapDirectoryConnector({ domainControllers: ['ldaps://dc1.contoso.test'], ... })
 * const full = await connector.fullImport()
 * if (full.ok) saveCookie(full.value.cookie)
 */
export class LdapDirectoryConnector implements DirectoryConnector {
  readonly #options: LdapConnectorOptions
  readonly #state: SyncState
  readonly #watches = new Set<ChangeWatch>()

  constructor(options: LdapConnectorOptions) {
    if (options.domainControllers.length === 0) throw new Error('LdapDirectoryConnector: domainControllers is empty')
    if (!options.baseDn) throw new Error('LdapDirectoryConnector: baseDn is required')
    this.#options = options
    this.#state = new SyncState(options.knownAnchors)
  }

  /** Every anchor exported so far (base64 objectGUID → sourceAnchor): persist it and pass it back as `knownAnchors`. */
  exportedAnchors(): ReadonlyMap<string, string> {
    return this.#state.anchors
  }

  async fullImport(options: FullImportOptions = {}): Promise<Result<FullImportResult>> {
    return this.#withSession(this.#options.domainControllers, 'full import', options.signal, async (session) => {
      const run = await runFullImport(session, this.#options, this.#state, options)
      this.#reportRun(session.dc, run.dirSyncRefusal, run.failures)
      this.#log(
        'fullImportCompleted',
        `Full import from ${session.dc}: ${run.users.length} users, ${run.failures.length} skipped.`,
        {
          dc: session.dc,
          users: run.users.length,
          failures: run.failures.length,
          mode: run.cookie.mode,
        },
      )
      return { users: run.users, failures: run.failures, cookie: run.cookie }
    })
  }

  async deltaImport(cookie: DeltaCookie): Promise<Result<DeltaImportResult>> {
    // The issuing DC first: a cookie or USN from one DC means nothing to another.
    const order = [cookie.dc, ...this.#options.domainControllers.filter((dc) => dc !== cookie.dc)]
    return this.#withSession(order, 'delta import', undefined, async (session) => {
      if (session.dc !== cookie.dc) {
        this.#log(
          'cookieDcUnavailable',
          `${cookie.dc} issued the delta cookie but is unavailable; full resync from ${session.dc}.`,
          {
            dc: session.dc,
            cookieDc: cookie.dc,
          },
        )
        return this.#resync(session)
      }
      const run = await runDeltaImport(session, this.#options, this.#state, cookie)
      if (run.kind === 'needs-resync') {
        this.#reportRun(session.dc, run.dirSyncRefusal, [])
        return this.#resync(session)
      }
      this.#reportRun(session.dc, run.dirSyncRefusal, run.result.failures)
      const count = (kind: DirectoryChange['kind']) => run.result.changes.filter((c) => c.kind === kind).length
      this.#log(
        'deltaImportCompleted',
        `Delta import from ${session.dc} (${run.result.cookie.mode}): ${count('upsert')} upserts, ${count('delete')} deletes.`,
        {
          dc: session.dc,
          mode: run.result.cookie.mode,
          upserts: count('upsert'),
          deletes: count('delete'),
          failures: run.result.failures.length,
        },
      )
      return run.result
    })
  }

  async watch(onChange: () => void): Promise<Result<{ stop(): Promise<void> }>> {
    const started = await startChangeWatch(this.#options, this.#options.domainControllers, onChange)
    if (!started.ok) return started
    const watch = started.value
    this.#watches.add(watch)
    return {
      ok: true,
      value: {
        stop: async () => {
          this.#watches.delete(watch)
          await watch.stop()
        },
      },
    }
  }

  async close(): Promise<void> {
    await Promise.all([...this.#watches].map((w) => w.stop()))
    this.#watches.clear()
  }

  /** A full read converted to changes: everything in scope upserts, exported users now missing are deleted. */
  async #resync(session: DcSession): Promise<DeltaImportResult> {
    const before = new Map(this.#state.live)
    const run: FullImportRun = await runFullImport(session, this.#options, this.#state)
    this.#reportRun(session.dc, run.dirSyncRefusal, run.failures)
    const changes: DirectoryChange[] = run.users.map((user) => ({ kind: 'upsert', user }))
    const gone = [...before.keys()].filter((guid) => !this.#state.live.has(guid))
    const stillThere = new Set(
      (await readUsersByGuid(session.client, this.#options.baseDn, gone, ['objectGUID'])).map((e) =>
        e.buffer('objectGUID')?.toString('base64'),
      ),
    )
    for (const guid of gone) {
      const anchor = this.#state.anchors.get(guid)!
      const dn = before.get(guid)!.distinguishedName
      changes.push({
        kind: 'delete',
        sourceAnchor: anchor,
        distinguishedName: dn,
        reason: stillThere.has(guid) ? 'out-of-scope' : 'deleted',
      })
    }
    return { changes, failures: run.failures, cookie: run.cookie }
  }

  #reportRun(dc: string, refusal: IdbridgeError | null, failures: readonly DirectoryUserFailure[]): void {
    if (refusal) {
      this.#options.eventLog.write(
        directoryFailureEvent('dirSyncRefused', `${dc} refused DirSync; using uSNChanged polling instead.`, refusal),
      )
    }
    for (const failure of failures) {
      this.#log('userSkipped', `Skipped ${failure.distinguishedName}: ${failure.detail}.`, {
        code: 'AGENT_ERR_DIRECTORY_VALUE_MALFORMED',
        dc,
        dn: failure.distinguishedName,
        ldapResultCode: null,
        adDataCode: null,
      })
    }
  }

  #log(
    name: Parameters<typeof directoryEvent>[0],
    message: string,
    data: Record<string, string | number | boolean | null>,
  ) {
    this.#options.eventLog.write(directoryEvent(name, message, data))
  }

  async #withSession<T>(
    order: readonly string[],
    what: string,
    signal: AbortSignal | undefined,
    work: (session: DcSession) => Promise<T>,
  ): Promise<Result<T>> {
    const opened = await openPreferredSession(this.#options, order)
    if (!opened.ok) {
      this.#options.eventLog.write(
        directoryFailureEvent('domainSyncFailed', `Error in ${what} of ${this.#options.baseDn}:`, opened.error),
      )
      return opened
    }
    try {
      return { ok: true, value: await work(opened.value) }
    } catch (err) {
      const error = classifyDirectoryError(err, opened.value.dc)
      // The caller stopped the read (its export failed): not a directory failure, and it logs its own.
      if (signal?.aborted) return { ok: false, error }
      this.#options.eventLog.write(
        directoryFailureEvent('domainSyncFailed', `Error in ${what} of ${this.#options.baseDn}:`, error),
      )
      return { ok: false, error }
    } finally {
      await opened.value.client.unbind().catch(() => {})
    }
  }
}
