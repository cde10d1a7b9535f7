/** @module The agent's sync cycle: full import once, then deltas on a timer and on AD change notifications. */
import { randomUUID } from 'node:crypto'
import type { IdbridgeError, Result } from '../errors/idbridge-error.ts'
import type { SyncBatch } from '../protocol/sync-batch.ts'
import type { AgentStateFile, AgentSyncState } from './agent-state-file.ts'
import type { DirectoryConnector } from './directory/directory-connector.ts'
import type { DirectoryChange, DirectoryUserFailure } from './directory/directory-records.ts'
import type { AgentEventLog } from './events/agent-event.ts'

/** Where batches go: the channel in production, a list in tests. */
export interface SyncExporter {
  exportBatch(batch: SyncBatch): Promise<Result<unknown>>
}

// Private event IDs of the sync cycle; the reference documents no IDs for directory sync runs.
export const syncEvents = { runStarted: 9500, runCompleted: 9501, runFailed: 9502 } as const

export interface SyncLoopOptions {
  readonly connector: DirectoryConnector
  readonly exporter: SyncExporter
  readonly state: AgentStateFile
  readonly eventLog: AgentEventLog
  readonly batchSize: number
}

export interface SyncRunSummary {
  readonly runId: string
  readonly kind: 'full' | 'delta'
  readonly exported: number
  readonly failed: number
}

export class DirectorySyncLoop {
  readonly #o: SyncLoopOptions
  #running: Promise<Result<SyncRunSummary>> | undefined
  #again = false
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
    if (this.#running) {
      this.#again = true
      return this.#running
    }
    this.#running = this.#cycle().finally(() => {
      this.#running = undefined
      if (this.#again) {
        this.#again = false
        void this.runOnce()
      }
    })
    return this.#running
  }

  async start(options: { intervalMs: number; watch: boolean }): Promise<void> {
    await this.runOnce()
    this.#timer = setInterval(() => void this.runOnce(), options.intervalMs)
    if (options.watch) {
      const watching = await this.#o.connector.watch(() => void this.runOnce())
      if (watching.ok) this.#watch = watching.value
    }
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer)
    await this.#watch?.stop()
    await this.#running?.catch(() => {})
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
    const imported = current.cookie
      ? await connector.deltaImport(current.cookie)
      : await connector.fullImport({
          onProgress: (done) => state.write({ ...state.read(), progress: { done, phase: 'reading' } }),
        })
    if (!imported.ok) return this.#fail(current, runId, kind, startedAt, imported.error)
    const changes: DirectoryChange[] =
      'users' in imported.value
        ? imported.value.users.map((user) => ({ kind: 'upsert', user }))
        : imported.value.changes
    const anchors = { ...current.anchors }
    const stable = changes.map((change) => {
      if (change.kind !== 'upsert') return change
      // The anchor exported first stays the anchor, even when ms-DS-ConsistencyGuid appears later.
      const anchor = anchors[change.user.objectGuid] ?? change.user.sourceAnchor
      anchors[change.user.objectGuid] = anchor
      return {
        kind: 'upsert' as const,
        user: { ...change.user, sourceAnchor: anchor, groupDns: [...change.user.groupDns] },
      }
    })
    const exported = await this.#export(runId, kind, stable, imported.value.failures)
    if (!exported.ok) return this.#fail(current, runId, kind, startedAt, exported.error)
    for (const change of stable) {
      if (change.kind === 'delete') {
        for (const [guid, anchor] of Object.entries(anchors)) if (anchor === change.sourceAnchor) delete anchors[guid]
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
        exported: stable.length,
        failed,
        result: 'success',
      },
    })
    eventLog.write({
      id: syncEvents.runCompleted,
      source: 'idbridge',
      level: failed ? 'warning' : 'information',
      message: `Directory sync ${kind} import completed. Run: ${runId}, Exported: ${stable.length}, Failed: ${failed}.`,
      data: { runId, exported: stable.length, failed },
    })
    return { ok: true, value: { runId, kind, exported: stable.length, failed } }
  }

  async #export(
    runId: string,
    kind: 'full' | 'delta',
    changes: DirectoryChange[],
    failures: DirectoryUserFailure[],
  ): Promise<Result<void>> {
    const size = this.#o.batchSize
    const count = Math.max(1, Math.ceil(changes.length / size))
    for (let i = 0; i < count; i++) {
      const batch: SyncBatch = {
        runId,
        kind,
        changes: changes.slice(i * size, (i + 1) * size) as SyncBatch['changes'],
        failures:
          i === count - 1
            ? failures
                .slice(0, 1000)
                .map((f) => ({ distinguishedName: f.distinguishedName, detail: f.detail.slice(0, 1000) }))
            : [],
        final: i === count - 1,
      }
      const sent = await this.#o.exporter.exportBatch(batch)
      if (!sent.ok) return sent
    }
    return { ok: true, value: undefined }
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
