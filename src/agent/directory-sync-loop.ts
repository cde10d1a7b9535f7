/** @module The agent's sync cycle: full import once, then deltas on a timer and on AD change notifications. */
import { randomUUID } from 'node:crypto'
import type { IdbridgeError, Result } from '../errors/idbridge-error.ts'
import type { AgentStateFile, AgentSyncState } from './agent-state-file.ts'
import type { DirectoryConnector } from './directory/directory-connector.ts'
import type { DirectoryChange, DirectoryUser } from './directory/directory-records.ts'
import type { AgentEventLog } from './events/agent-event.ts'
import { type SyncExporter, SyncExportQueue } from './sync-export-queue.ts'
import { CoalescingRunner } from './coalescing-runner.ts'

export type { SyncExporter } from './sync-export-queue.ts'

// Private event IDs of the sync cycle; the reference documents no IDs for directory sync runs.
export const syncEvents = { runStarted: 9500, runCompleted: 9501, runFailed: 9502 } as const

export interface SyncLoopOptions {
  readonly connector: DirectoryConnector
  readonly exporter: SyncExporter
  readonly state: AgentStateFile
  readonly eventLog: AgentEventLog
  readonly batchSize: number
  /**
   * Exports wait for it; the agent passes its channel coming online, so that the first import
   * reads AD while the channel connects instead of after.
   */
  readonly exportReady?: Promise<unknown>
}

export interface SyncRunSummary {
  readonly runId: string
  readonly kind: 'full' | 'delta'
  readonly exported: number
  readonly failed: number
}

export class DirectorySyncLoop {
  readonly #o: SyncLoopOptions
  readonly #runner = new CoalescingRunner(() => this.#cycle())
  #timer: NodeJS.Timeout | undefined
  #watch: { stop(): Promise<void> } | undefined

  constructor(options: SyncLoopOptions) {
    this.#o = options
  }

  /**
   * One cycle: a full import when there is no cookie, else a delta. Calls that arrive while a cycle
   * runs fold into one more cycle after it, so a burst of change notifications costs one delta.
   */
  runOnce(): Promise<Result<SyncRunSummary>> {
    return this.#runner.run()
  }

  async start(options: { intervalMs: number; watch: boolean }): Promise<void> {
    // The watch connects while the first cycle runs, not after it; a change it sees meanwhile
    // folds into one more cycle, as any notification during a cycle does.
    const watching = options.watch ? this.#o.connector.watch(() => void this.runOnce()) : undefined
    await this.runOnce()
    this.#timer = setInterval(() => void this.runOnce(), options.intervalMs)
    const watched = await watching
    if (watched?.ok) this.#watch = watched.value
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer)
    await this.#watch?.stop()
    await this.#runner.settled()
  }

  async #cycle(): Promise<Result<SyncRunSummary>> {
    const { connector, state, eventLog } = this.#o
    const current = state.read()
    const kind = current.cookie ? 'delta' : 'full'
    const runId = randomUUID()
    const startedAt = new Date().toISOString()
    eventLog.write({
      id: syncEvents.runStarted,
      source: 'idbridge',
      level: 'information',
      message: `Directory sync ${kind} import started. Run: ${runId}`,
    })
    const anchors = { ...current.anchors }
    const queue = new SyncExportQueue(this.#o.exporter, {
      runId,
      kind,
      batchSize: this.#o.batchSize,
      ready: this.#o.exportReady,
    })
    let exported = 0
    const take = (changes: readonly DirectoryChange[]) => {
      exported += changes.length
      queue.add(changes.map((change) => withStableAnchor(change, anchors)))
    }
    const upserts = (users: readonly DirectoryUser[]) => users.map((user) => ({ kind: 'upsert' as const, user }))
    let streamed = 0
    let progressAt = -Infinity
    const imported = current.cookie
      ? await connector.deltaImport(current.cookie)
      : await connector.fullImport({
          onProgress: (done) => {
            // At most twice a second: each write re-encodes every anchor, and `agent run` polls at 2 Hz.
            if (performance.now() - progressAt < 500) return
            progressAt = performance.now()
            state.write({ ...current, progress: { done, phase: 'reading' } })
          },
          // Each page goes out while the DC reads the next one; a failed send stops the read.
          onUsers: (users) => {
            streamed += users.length
            take(upserts(users))
          },
          signal: queue.signal,
        })
    if (!imported.ok) {
      await queue.settled()
      return this.#fail(current, runId, kind, startedAt, queue.error ?? imported.error)
    }
    if ('users' in imported.value) take(upserts(imported.value.users.slice(streamed)))
    else take(imported.value.changes)
    const sent = await queue.finish(imported.value.failures)
    if (!sent.ok) return this.#fail(current, runId, kind, startedAt, sent.error)
    if ('changes' in imported.value) {
      for (const change of imported.value.changes) {
        if (change.kind === 'delete') {
          for (const [guid, anchor] of Object.entries(anchors)) if (anchor === change.sourceAnchor) delete anchors[guid]
        }
      }
    }
    const failed = imported.value.failures.length
    // The cookie moves only after the tenant took every batch: a crash before this re-sends the same delta.
    state.write({
      version: 1,
      cookie: imported.value.cookie,
      anchors,
      progress: null,
      lastRun: {
        runId,
        kind,
        startedAt,
        finishedAt: new Date().toISOString(),
        exported,
        failed,
        result: 'success',
      },
    })
    eventLog.write({
      id: syncEvents.runCompleted,
      source: 'idbridge',
      level: failed ? 'warning' : 'information',
      message: `Directory sync ${kind} import completed. Run: ${runId}, Exported: ${exported}, Failed: ${failed}.`,
      data: { runId, exported, failed },
    })
    return { ok: true, value: { runId, kind, exported, failed } }
  }

  #fail(
    current: AgentSyncState,
    runId: string,
    kind: 'full' | 'delta',
    startedAt: string,
    error: IdbridgeError,
  ): Result<SyncRunSummary> {
    const reason = `${error.code}: ${error.detail ?? ''}`
    this.#o.state.write({
      ...current,
      progress: null,
      lastRun: {
        runId,
        kind,
        startedAt,
        finishedAt: new Date().toISOString(),
        exported: 0,
        failed: 0,
        result: reason,
      },
    })
    this.#o.eventLog.write({
      id: syncEvents.runFailed,
      source: 'idbridge',
      level: 'error',
      message: `Directory sync ${kind} import failed. Run: ${runId}. ${reason}`,
      data: { runId, code: error.code },
    })
    return { ok: false, error }
  }
}

/** The anchor exported first stays the anchor, even when ms-DS-ConsistencyGuid appears later. */
function withStableAnchor(change: DirectoryChange, anchors: Record<string, string>): DirectoryChange {
  if (change.kind !== 'upsert') return change
  const anchor = anchors[change.user.objectGuid] ?? change.user.sourceAnchor
  anchors[change.user.objectGuid] = anchor
  return { kind: 'upsert', user: { ...change.user, sourceAnchor: anchor, groupDns: [...change.user.groupDns] } }
}
