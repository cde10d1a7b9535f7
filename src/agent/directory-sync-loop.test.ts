import assert from 'node:assert/strict'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { describe, it } from 'node:test'
import { IdbridgeError, type Result } from '../errors/idbridge-error.ts'
import type { SyncBatch } from '../protocol/sync-batch.ts'
import { AgentStateFile } from './agent-state-file.ts'
import type { DirectoryUser } from './directory/directory-records.ts'
import { DirectorySyncLoop, type SyncExporter } from './directory-sync-loop.ts'
import { MemoryEventLog } from './events/agent-event.ts'
import { FakeDirectoryConnector } from './fake-directory-connector.ts'

const user = (n: number, extra: Partial<DirectoryUser> = {}): DirectoryUser => ({
  sourceAnchor: `anchor-${n}`,
  objectGuid: `guid-${n}`,
  distinguishedName: `CN=U${n},OU=Sync,DC=contoso,DC=test`,
  samAccountName: `u${n}`,
  userPrincipalName: `u${n}@contoso.test`,
  givenName: null,
  surname: null,
  displayName: null,
  mail: null,
  mobile: null,
  accountEnabled: true,
  protected: false,
  pwdLastSet: 1,
  passwordNeverExpires: false,
  lockedOut: false,
  groupDns: [],
  usnChanged: n,
  ...extra,
})

class ListExporter implements SyncExporter {
  batches: SyncBatch[] = []
  failNext = false
  async exportBatch(batch: SyncBatch): Promise<Result<unknown>> {
    if (this.failNext) {
      this.failNext = false
      return { ok: false, error: new IdbridgeError('IDB_ERR_INTERNAL', { detail: 'tenant unreachable' }) }
    }
    this.batches.push(batch)
    return { ok: true, value: undefined }
  }
}

function setup() {
  const connector = new FakeDirectoryConnector()
  const exporter = new ListExporter()
  const state = new AgentStateFile(path.join(mkdtempSync(path.join(tmpdir(), 'idb-agent-')), 'state.json'))
  const eventLog = new MemoryEventLog()
  const loop = new DirectorySyncLoop({ connector, exporter, state, eventLog, batchSize: 2 })
  return { connector, exporter, state, eventLog, loop }
}

describe('directory sync loop', () => {
  it('runs a full import in batches, then deltas from the stored cookie', async () => {
    const { connector, exporter, state, loop } = setup()
    connector.users = [user(1), user(2), user(3)]
    const full = await loop.runOnce()
    assert.ok(full.ok)
    assert.equal(full.value.kind, 'full')
    assert.deepEqual(
      exporter.batches.map((b) => [b.kind, b.changes.length, b.final]),
      [
        ['full', 2, false],
        ['full', 1, true],
      ],
    )
    assert.equal(new Set(exporter.batches.map((b) => b.runId)).size, 1)
    assert.ok(state.read().cookie)
    connector.pending = [{ kind: 'upsert', user: user(2, { displayName: 'Two' }) }]
    const delta = await loop.runOnce()
    assert.ok(delta.ok)
    assert.equal(delta.value.kind, 'delta')
    assert.equal(exporter.batches.at(-1)?.changes.length, 1)
    assert.equal(state.read().lastRun?.result, 'success')
  })

  it('keeps the first exported anchor when ms-DS-ConsistencyGuid appears later', async () => {
    const { connector, exporter, loop } = setup()
    connector.users = [user(1)]
    await loop.runOnce()
    connector.pending = [{ kind: 'upsert', user: user(1, { sourceAnchor: 'consistency-guid-anchor' }) }]
    await loop.runOnce()
    const last = exporter.batches.at(-1)?.changes[0]
    assert.equal(last?.kind === 'upsert' && last.user.sourceAnchor, 'anchor-1')
  })

  it('does not move the cookie when the tenant did not take the batch, so nothing is lost', async () => {
    const { connector, exporter, state, loop, eventLog } = setup()
    connector.users = [user(1)]
    await loop.runOnce()
    const cookie = state.read().cookie
    connector.pending = [{ kind: 'upsert', user: user(5) }]
    exporter.failNext = true
    const failed = await loop.runOnce()
    assert.equal(failed.ok, false)
    assert.deepEqual(state.read().cookie, cookie)
    assert.match(state.read().lastRun?.result ?? '', /IDB_ERR_INTERNAL/)
    assert.equal(eventLog.events.at(-1)?.id, 9502)
  })

  it('fails a full import whose first batch the tenant refused, and keeps no cookie', async () => {
    const { connector, exporter, state, loop } = setup()
    connector.users = [user(1), user(2), user(3), user(4), user(5)]
    exporter.failNext = true
    const failed = await loop.runOnce()
    assert.equal(failed.ok, false)
    assert.equal(exporter.batches.length, 0, 'nothing is sent after the refused batch')
    assert.equal(state.read().cookie, null)
    const retried = await loop.runOnce()
    assert.ok(retried.ok)
    assert.equal(retried.value.kind, 'full')
    assert.deepEqual(
      exporter.batches.map((b) => [b.changes.length, b.final]),
      [
        [2, false],
        [2, false],
        [1, true],
      ],
    )
  })

  it('resumes from the stored state after a restart instead of importing everything again', async () => {
    const first = setup()
    first.connector.users = [user(1), user(2)]
    await first.loop.runOnce()
    const restarted = new DirectorySyncLoop({
      connector: first.connector,
      exporter: first.exporter,
      state: first.state,
      eventLog: first.eventLog,
      batchSize: 2,
    })
    const run = await restarted.runOnce()
    assert.ok(run.ok)
    assert.equal(run.value.kind, 'delta')
    assert.equal(run.value.exported, 0)
  })

  it('folds a burst of change notifications into one more cycle', async () => {
    const { connector, loop } = setup()
    connector.users = [user(1)]
    await loop.start({ intervalMs: 60_000, watch: true })
    const before = connector.deltaCalls
    for (let i = 0; i < 10; i++) connector.notify()
    await new Promise((resolve) => setTimeout(resolve, 50))
    await loop.stop()
    assert.ok(connector.deltaCalls - before <= 2, `ran ${connector.deltaCalls - before} deltas`)
    assert.ok(connector.deltaCalls - before >= 1)
  })
})
