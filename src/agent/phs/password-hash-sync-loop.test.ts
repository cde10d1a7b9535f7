import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterEach, describe, test } from 'node:test'
import { ntHash } from '../../crypto/org-id-hash.ts'
import { checkPassword } from '../../crypto/password-verifier.ts'
import { IdbridgeError, type Result } from '../../errors/idbridge-error.ts'
import type { PasswordHashBatch, PasswordHashBatchReply } from '../../protocol/password-hash-sync.ts'
import { ManualClock } from '../../time/clock.ts'
import type { DirectoryUser } from '../directory/directory-records.ts'
import { MemoryEventLog } from '../events/agent-event.ts'
import type { PasswordHashExporter } from './credential-batch-sender.ts'
import { MemoryHashSource } from './memory-hash-source.ts'
import { PasswordHashSyncLoop } from './password-hash-sync-loop.ts'
import { PhsStateFile } from './phs-state-file.ts'

/** Accepts everything, or refuses batches while `refuse` is set, and keeps what it got. */
class RecordingExporter implements PasswordHashExporter {
  readonly batches: PasswordHashBatch[] = []
  refuse: IdbridgeError | undefined
  pings = 0
  async sendBatch(batch: PasswordHashBatch): Promise<Result<PasswordHashBatchReply>> {
    if (this.refuse) return { ok: false, error: this.refuse }
    this.batches.push(batch)
    return { ok: true, value: { results: batch.items.map((i) => ({ sourceAnchor: i.sourceAnchor, status: 'Success' as const })) } }
  }
  async ping(): Promise<Result<void>> {
    this.pings++
    return this.refuse ? { ok: false, error: this.refuse } : { ok: true, value: undefined }
  }
  get items() {
    return this.batches.flatMap((b) => b.items)
  }
}

const dirs: string[] = []
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})

async function setup(options: { users?: number; fullSyncDone?: boolean; pageSize?: number } = {}) {
  const dir = mkdtempSync(path.join(tmpdir(), 'idbridge-phs-'))
  dirs.push(dir)
  const clock = new ManualClock(Date.UTC(2026, 10, 21, 12))
  const source = new MemoryHashSource({ pageSize: options.pageSize ?? 400 })
  const exporter = new RecordingExporter()
  const eventLog = new MemoryEventLog()
  const state = new PhsStateFile(path.join(dir, 'phs-state.json'))
  const anchors: Record<string, string> = {}
  const passwords = new Map<string, string>()
  let fullSyncDone = options.fullSyncDone ?? true
  const addUser = async (i: number, inScope = true, pwdLastSet = clock.now() - 60_000 * (100 - i)) => {
    const objectGuid = randomBytes(16).toString('base64')
    const password = `Pw-${i}-${randomBytes(4).toString('hex')}!`
    const dn = `CN=user${i},OU=Sync,DC=contoso,DC=test`
    source.put({ objectGuid, distinguishedName: dn, pwdLastSet, ntHash: await ntHash(password) })
    if (inScope) anchors[objectGuid] = `anchor-${i}`
    passwords.set(`anchor-${i}`, password)
    return { objectGuid, dn, password, anchor: `anchor-${i}` }
  }
  for (let i = 0; i < (options.users ?? 3); i++) await addUser(i)
  const loop = new PasswordHashSyncLoop({
    source,
    exporter,
    state,
    eventLog,
    clock,
    domain: 'contoso.test',
    directory: { fullSyncCompleted: () => fullSyncDone, anchors: () => anchors },
  })
  const directoryUser = (u: { objectGuid: string; dn: string; anchor: string }, pwdLastSet: number | null) =>
    ({ objectGuid: u.objectGuid, distinguishedName: u.dn, sourceAnchor: u.anchor, pwdLastSet }) as unknown as DirectoryUser
  return {
    dir,
    clock,
    source,
    exporter,
    eventLog,
    state,
    loop,
    passwords,
    addUser,
    directoryUser,
    finishDirectorySync: () => void (fullSyncDone = true),
    ids: () => eventLog.events.map((e) => e.id),
  }
}

describe('password hash sync loop', () => {
  test('waits with event 613 until directory full sync is done, then syncs every in-scope user once', async () => {
    const t = await setup({ fullSyncDone: false })
    const outOfScope = await t.addUser(50, false)
    assert.equal(await t.loop.runOnce(), 'paused')
    t.loop.noteDirectoryChanges([{ kind: 'upsert', user: t.directoryUser(outOfScope, t.clock.now()) }], 'full')
    assert.deepEqual(t.state.read().users, {}, 'the first full import queues nothing: the initial sync reads everyone')
    assert.equal(await t.loop.runOnce(), 'paused')
    assert.deepEqual(t.ids(), [613], 'one 613 per pause, not one per cycle')
    assert.equal(t.source.reads.all, 1, 'the walk reads ahead during the pause, once')
    await new Promise((resolve) => setTimeout(resolve, 50))
    assert.equal(t.exporter.batches.length, 0, 'nothing goes out before the tenant has the users')

    t.finishDirectorySync()
    assert.equal(await t.loop.runOnce(), 'initial')
    const items = t.exporter.items
    assert.deepEqual(items.map((i) => i.sourceAnchor).sort(), ['anchor-0', 'anchor-1', 'anchor-2'])
    for (const item of items) {
      assert.ok(await checkPassword(item.verifier, t.passwords.get(item.sourceAnchor)!), item.sourceAnchor)
      assert.equal(await checkPassword(item.verifier, 'wrong'), false)
      assert.equal(item.temporary, false)
    }
    assert.equal(t.exporter.batches[0]!.kind, 'initial')
    const ids = t.ids()
    for (const id of [617, 618, 619, 650, 651, 622, 623]) assert.ok(ids.includes(id), `event ${id}`)
    assert.equal(ids.filter((id) => id === 656).length, 3)
    assert.equal(ids.filter((id) => id === 657).length, 3)
    const request = t.eventLog.events.find((e) => e.id === 656)!
    assert.match(request.message, /^Password Change Request - Anchor: anchor-\d, Dn: CN=user\d,OU=Sync,DC=contoso,DC=test, Change Date: \d\d\/\d\d\/\d{4} \d\d:\d\d:\d\d$/)
    const result = t.eventLog.events.find((e) => e.id === 657)!
    assert.match(result.message, /^Password Change Result - Anchor: anchor-\d, Dn: .+, Result: Success\.$/)

    assert.equal(await t.loop.runOnce(), 'idle', 'nothing changed: no second full sync')
    assert.equal(t.source.reads.all, 2, 'the walk ahead, then only what changed since it')
    assert.equal(t.state.read().users[Object.keys(t.state.read().users)[0]!]!.result, 'Success')
  })

  test('a password changed after the walk ahead read it is sent by the catch-up from its watermark', async () => {
    const t = await setup({ fullSyncDone: false })
    const user = await t.addUser(7)
    assert.equal(await t.loop.runOnce(), 'paused')
    // After the walk took its snapshot, before the directory import finished: the directory
    // would not report this change, and the walk holds the old hash.
    t.source.put({ objectGuid: user.objectGuid, distinguishedName: user.dn, pwdLastSet: t.clock.now(), ntHash: await ntHash('Changed-Meanwhile-1!') })
    t.finishDirectorySync()
    assert.equal(await t.loop.runOnce(), 'initial')
    const sent = t.exporter.items.filter((i) => i.sourceAnchor === user.anchor)
    assert.equal(sent.length, 2, 'once from the walk ahead, once from the catch-up')
    assert.ok(await checkPassword(sent[0]!.verifier, user.password))
    assert.ok(await checkPassword(sent[1]!.verifier, 'Changed-Meanwhile-1!'), 'the newer hash goes last')
    assert.equal(t.exporter.items.length, 5, 'the catch-up reads only the changed user')
  })

  test('a walk ahead that failed is walked again, not reported once the import is in', async () => {
    const t = await setup({ fullSyncDone: false })
    t.source.failure = MemoryHashSource.unreachable('dc1.contoso.test')
    assert.equal(await t.loop.runOnce(), 'paused')
    t.source.failure = undefined
    assert.equal(await t.loop.runOnce(), 'paused')
    assert.equal(t.source.reads.all, 2, 'the failed walk is replaced at the next cycle')
    t.finishDirectorySync()
    assert.equal(await t.loop.runOnce(), 'initial')
    assert.equal(t.exporter.items.length, 3)
    assert.ok(!t.ids().includes(611), 'nothing failed that was used')
  })

  test('stopping during the pause ends the walk ahead without sending', async () => {
    const t = await setup({ users: 30, fullSyncDone: false, pageSize: 5 })
    assert.equal(await t.loop.runOnce(), 'paused')
    await t.loop.stop()
    assert.equal(t.exporter.batches.length, 0)
  })

  test('a full sync writes its per-user state once, at its end, not for every page', async () => {
    const t = await setup({ users: 120, pageSize: 40 })
    const onDisk: number[] = []
    const send = t.exporter.sendBatch.bind(t.exporter)
    t.exporter.sendBatch = async (batch) => {
      onDisk.push(existsSync(t.state.file) ? Object.keys(JSON.parse(readFileSync(t.state.file, 'utf8')).users).length : 0)
      return send(batch)
    }
    assert.equal(await t.loop.runOnce(), 'initial')
    assert.deepEqual(onDisk, [0, 0, 0], 'nothing written while the pages went out')
    assert.equal(Object.keys(JSON.parse(readFileSync(t.state.file, 'utf8')).users).length, 120)
  })

  test('sends batches of at most 50 per page read, and a fresh salt every time', async () => {
    const small = await setup({ users: 120, pageSize: 40 })
    await small.loop.runOnce()
    assert.deepEqual(small.exporter.batches.map((b) => b.items.length), [40, 40, 40])
    const t = await setup({ users: 120 })
    await t.loop.runOnce()
    assert.deepEqual(t.exporter.batches.map((b) => b.items.length), [50, 50, 20])
    t.loop.requestResync()
    await t.loop.runOnce()
    const salts = new Set(t.exporter.items.map((i) => i.verifier.split(',')[1]))
    assert.equal(salts.size, 240, 'no salt is reused, even for the same password')
    assert.equal(t.exporter.batches.at(-1)!.kind, 'resync')
  })

  test('a changed pwdLastSet queues the user for a delta, in chronological order; an unchanged one does not', async () => {
    const t = await setup({ users: 3 })
    await t.loop.runOnce()
    const sentBefore = t.exporter.items.length
    const later = await t.addUser(7)
    const earlier = await t.addUser(8)
    t.source.put({ ...t.source.users.get(later.dn.toLowerCase())!, pwdLastSet: t.clock.now() - 1000 })
    t.source.put({ ...t.source.users.get(earlier.dn.toLowerCase())!, pwdLastSet: t.clock.now() - 5000 })
    t.loop.noteDirectoryChanges([
      { kind: 'upsert', user: t.directoryUser(later, t.clock.now() - 1000) },
      { kind: 'upsert', user: t.directoryUser(earlier, t.clock.now() - 5000) },
    ], 'delta')
    assert.equal(await t.loop.runOnce(), 'delta')
    const delta = t.exporter.items.slice(sentBefore)
    assert.deepEqual(delta.map((i) => i.sourceAnchor), ['anchor-8', 'anchor-7'])
    assert.equal(t.exporter.batches.at(-1)!.kind, 'delta')
    assert.equal(t.source.reads.one, 2)

    t.loop.noteDirectoryChanges([{ kind: 'upsert', user: t.directoryUser(later, t.clock.now() - 1000) }], 'delta')
    assert.equal(await t.loop.runOnce(), 'idle')
    assert.equal(t.source.reads.one, 2)
  })

  test('a tenant that cannot be reached puts users in the retry queue (605) and takes them out on success (606)', async () => {
    const t = await setup({ users: 2 })
    t.exporter.refuse = new IdbridgeError('IDB_ERR_AGENT_CONNECT', { detail: 'test' })
    await t.loop.runOnce()
    assert.ok(t.ids().includes(652))
    assert.ok(t.ids().includes(605))
    const queued = Object.values(t.state.read().users)
    assert.ok(queued.every((u) => u.retry?.attempts === 1 && u.result === 'Error'))
    t.exporter.refuse = undefined
    assert.equal(await t.loop.runOnce(), 'idle', 'not due yet: backoff')
    t.clock.advance(11_000)
    assert.equal(await t.loop.runOnce(), 'delta')
    assert.ok(t.ids().includes(606))
    assert.ok(Object.values(t.state.read().users).every((u) => u.result === 'Success' && !u.retry))
  })

  test('a user without a hash is reported, not sent; a DC that is down leaves the queue for the next cycle', async () => {
    const t = await setup({ users: 1 })
    await t.loop.runOnce()
    const nohash = await t.addUser(9)
    t.source.put({ ...t.source.users.get(nohash.dn.toLowerCase())!, ntHash: undefined })
    t.source.failure = MemoryHashSource.unreachable('dc1.contoso.test')
    t.loop.noteDirectoryChanges([{ kind: 'upsert', user: t.directoryUser(nohash, t.clock.now() - 60_000 * 91) }], 'delta')
    await t.loop.runOnce()
    const failure = t.eventLog.events.find((e) => e.id === 611)!
    assert.equal(failure.data?.code, 'AGENT_ERR_DC_UNREACHABLE')
    assert.equal(failure.data?.dc, 'dc1.contoso.test')
    assert.ok(Object.values(t.state.read().users).some((u) => u.result === 'Pending'))
    t.source.failure = undefined
    await t.loop.runOnce()
    const user = Object.values(t.state.read().users).find((u) => u.distinguishedName === nohash.dn)!
    assert.equal(user.result, 'MissingAttribute')
    assert.ok(!t.exporter.items.some((i) => i.sourceAnchor === nohash.anchor))
    assert.match(t.eventLog.events.filter((e) => e.id === 657).at(-1)!.message, /Result: Failed\. Extended Error: MissingAttribute/)
  })

  test('the idle heartbeat logs 653/654, or 655 when the tenant refuses', async () => {
    const t = await setup({ users: 0 })
    await t.loop.heartbeatNow()
    t.exporter.refuse = new IdbridgeError('IDB_ERR_AGENT_CONNECT', { detail: 'test' })
    await t.loop.heartbeatNow()
    assert.deepEqual(t.ids(), [653, 654, 653, 655])
    assert.equal(t.exporter.pings, 2)
  })

  test('no NT hash or password reaches the events or the state file', async () => {
    const t = await setup({ users: 3 })
    await t.loop.runOnce()
    const written = JSON.stringify(t.eventLog.events) + readFileSync(t.state.file, 'utf8')
    for (const [, password] of t.passwords) {
      assert.ok(!written.includes(password))
      const nt = await ntHash(password)
      assert.ok(!written.toLowerCase().includes(nt.toString('hex')))
      assert.ok(!written.includes(nt.toString('base64')))
    }
  })
})
