/** @module The export queue: the same batches however changes arrive, one send at a time, and a stop on failure. */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { IdbridgeError, type Result } from '../errors/idbridge-error.ts'
import type { SyncBatch } from '../protocol/sync-batch.ts'
import type { DirectoryChange } from './directory/directory-records.ts'
import { SyncExportQueue } from './sync-export-queue.ts'

const runId = '5f0c7d9e-3c2a-4e7b-9a51-2b8f6d1e4c30'
const change = (n: number): DirectoryChange => ({
  kind: 'delete',
  sourceAnchor: `anchor-${n}`,
  distinguishedName: `CN=U${n}`,
  reason: 'deleted',
})

/** Records batches; each send takes a moment, so that overlapping sends would show in `maxInFlight`. */
class GatedExporter {
  readonly batches: SyncBatch[] = []
  inFlight = 0
  maxInFlight = 0
  failAt = -1
  async exportBatch(batch: SyncBatch): Promise<Result<unknown>> {
    this.inFlight++
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight)
    await new Promise((resolve) => setTimeout(resolve, 1))
    this.inFlight--
    if (this.batches.length === this.failAt) {
      return { ok: false, error: new IdbridgeError('IDB_ERR_INTERNAL', { detail: 'tenant unreachable' }) }
    }
    this.batches.push(batch)
    return { ok: true, value: undefined }
  }
}

const shape = (batches: SyncBatch[]) => batches.map((b) => [b.changes.length, b.final, b.failures.length])

describe('SyncExportQueue', () => {
  it('cuts the same batches from one list or from pages, in order, one send at a time', async () => {
    const all = Array.from({ length: 7 }, (_, i) => change(i))
    const whole = new GatedExporter()
    const once = new SyncExportQueue(whole, { runId, kind: 'full', batchSize: 3 })
    once.add(all)
    assert.ok((await once.finish([{ distinguishedName: 'CN=Bad', detail: 'x'.repeat(2000) }])).ok)
    const paged = new GatedExporter()
    const pages = new SyncExportQueue(paged, { runId, kind: 'full', batchSize: 3 })
    for (const page of [all.slice(0, 2), all.slice(2, 3), all.slice(3, 7)]) pages.add(page)
    assert.ok((await pages.finish([{ distinguishedName: 'CN=Bad', detail: 'x'.repeat(2000) }])).ok)
    assert.deepEqual(shape(whole.batches), [
      [3, false, 0],
      [3, false, 0],
      [1, true, 1],
    ])
    assert.deepEqual(shape(paged.batches), shape(whole.batches))
    assert.deepEqual(
      paged.batches.flatMap((b) => b.changes.map((c) => c.kind === 'delete' && c.sourceAnchor)),
      all.map((c) => c.kind === 'delete' && c.sourceAnchor),
    )
    assert.equal(paged.batches[2]?.failures[0]?.detail.length, 1000)
    assert.equal(paged.maxInFlight, 1)
  })

  it('keeps a full last batch back, so the final one is never empty unless the run is', async () => {
    const exporter = new GatedExporter()
    const queue = new SyncExportQueue(exporter, { runId, kind: 'delta', batchSize: 2 })
    queue.add([change(1), change(2)])
    queue.add([change(3), change(4)])
    assert.ok((await queue.finish([])).ok)
    assert.deepEqual(shape(exporter.batches), [
      [2, false, 0],
      [2, true, 0],
    ])
    const empty = new GatedExporter()
    assert.ok((await new SyncExportQueue(empty, { runId, kind: 'delta', batchSize: 2 }).finish([])).ok)
    assert.deepEqual(shape(empty.batches), [[0, true, 0]])
  })

  it('sends nothing after a failed batch, aborts its signal and reports the first error', async () => {
    const exporter = new GatedExporter()
    exporter.failAt = 1
    const queue = new SyncExportQueue(exporter, { runId, kind: 'full', batchSize: 1 })
    queue.add([change(1), change(2), change(3), change(4)])
    await queue.settled()
    assert.equal(queue.signal.aborted, true)
    assert.equal(queue.error?.code, 'IDB_ERR_INTERNAL')
    const sent = await queue.finish([])
    assert.equal(sent.ok, false)
    assert.equal(exporter.batches.length, 1)
  })

  it('waits for `ready` before the first send', async () => {
    const exporter = new GatedExporter()
    let open: (value?: unknown) => void = () => {}
    const ready = new Promise((resolve) => (open = resolve))
    const queue = new SyncExportQueue(exporter, { runId, kind: 'full', batchSize: 1, ready })
    queue.add([change(1), change(2)])
    await new Promise((resolve) => setTimeout(resolve, 10))
    assert.equal(exporter.batches.length, 0)
    open()
    assert.ok((await queue.finish([])).ok)
    assert.equal(exporter.batches.length, 2)
  })
})
