/** @module Cuts one run's changes into batches and sends them in order, one at a time, while more arrive. */
import type { IdbridgeError, Result } from '../errors/idbridge-error.ts'
import type { SyncBatch } from '../protocol/sync-batch.ts'
import type { DirectoryChange, DirectoryUserFailure } from './directory/directory-records.ts'

/** Where batches go: the channel in production, a list in tests. */
export interface SyncExporter {
  exportBatch(batch: SyncBatch): Promise<Result<unknown>>
}

/** The run a queue sends for. */
export interface SyncExportRun {
  readonly runId: string
  readonly kind: 'full' | 'delta'
  readonly batchSize: number
  /** The first send waits for it (the channel coming online), so reading need not wait. */
  readonly ready?: Promise<unknown>
}

/**
 * One batch is in flight at a time, in order: the tenant applies a run's batches one after the
 * other, and the final one settles deletions, so it must come last. A batch is only cut once more
 * than `batchSize` changes wait, so the final batch is never empty unless the run is, and the
 * batches are the same however the changes arrive. After a failed send nothing more is sent and
 * `signal` aborts, so the caller can stop reading.
 *
 * @example
 * const queue = new SyncExportQueue(exporter, { runId, kind: 'full', batchSize: 200 })
 * queue.add(page)                          // sends in the background
 * const sent = await queue.finish(failures) // the final batch, then the first error if any
 */
export class SyncExportQueue {
  readonly #exporter: SyncExporter
  readonly #run: SyncExportRun
  readonly #abort = new AbortController()
  #waiting: DirectoryChange[] = []
  #sending: Promise<void> = Promise.resolve()
  #error: IdbridgeError | null = null
  #thrown: { readonly cause: unknown } | null = null

  constructor(exporter: SyncExporter, run: SyncExportRun) {
    this.#exporter = exporter
    this.#run = run
  }

  /** Aborted once a send failed. */
  get signal(): AbortSignal {
    return this.#abort.signal
  }

  /** The first failed send's error, if any. */
  get error(): IdbridgeError | null {
    return this.#error
  }

  add(changes: readonly DirectoryChange[]): void {
    for (const change of changes) this.#waiting.push(change)
    const size = this.#run.batchSize
    if (this.#waiting.length <= size) return
    // Keep the remainder (1..size changes) back: it may turn out to be the final batch.
    const cut = Math.floor((this.#waiting.length - 1) / size) * size
    const ready = this.#waiting.slice(0, cut)
    this.#waiting = this.#waiting.slice(cut)
    for (let i = 0; i < ready.length; i += size) this.#send(ready.slice(i, i + size), [], false)
  }

  /** Sends what is left as the final batch, with the run's failures, and waits for every send. */
  async finish(failures: readonly DirectoryUserFailure[]): Promise<Result<void>> {
    const reported = failures
      .slice(0, 1000)
      .map((f) => ({ distinguishedName: f.distinguishedName, detail: f.detail.slice(0, 1000) }))
    this.#send(this.#waiting, reported, true)
    this.#waiting = []
    await this.settled()
    return this.#error ? { ok: false, error: this.#error } : { ok: true, value: undefined }
  }

  /** Resolves when the sends queued so far have ended; rejects with what the exporter threw, if it threw. */
  async settled(): Promise<void> {
    await this.#sending
    if (this.#thrown) throw this.#thrown.cause
  }

  #send(changes: DirectoryChange[], failures: SyncBatch['failures'], final: boolean): void {
    const batch: SyncBatch = {
      runId: this.#run.runId,
      kind: this.#run.kind,
      changes: changes as SyncBatch['changes'],
      failures,
      final,
    }
    this.#sending = this.#sending.then(async () => {
      if (this.#error || this.#thrown) return
      try {
        await this.#run.ready
        const sent = await this.#exporter.exportBatch(batch)
        if (!sent.ok) this.#fail(sent.error, null)
      } catch (cause) {
        this.#fail(null, { cause })
      }
    })
  }

  #fail(error: IdbridgeError | null, thrown: { readonly cause: unknown } | null): void {
    this.#error = error
    this.#thrown = thrown
    this.#abort.abort()
  }
}
