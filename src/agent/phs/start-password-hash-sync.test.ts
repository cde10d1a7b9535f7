import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { after, describe, it } from 'node:test'
import { setTimeout as sleep } from 'node:timers/promises'
import { repoRoot } from '../../config/load-config.ts'
import { ManualClock } from '../../time/clock.ts'
import { MemoryEventLog } from '../events/agent-event.ts'
import { MemoryHashSource } from './memory-hash-source.ts'
import { PasswordHashSyncLoop } from './password-hash-sync-loop.ts'
import { PHS_RESYNC_MARKER, PHS_STATE_FILE } from './phs-files.ts'
import { PhsStateFile } from './phs-state-file.ts'
import { dnsDomainOf, watchResyncMarker } from './start-password-hash-sync.ts'

const dirs: string[] = []
after(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true })
})

function idbridge(args: string[]) {
  return spawnSync(process.execPath, [path.join(repoRoot, 'bin', 'idbridge.js'), ...args], { encoding: 'utf8', timeout: 30_000 })
}

describe('password hash sync set-up and its CLI', () => {
  it('names the domain of the naming context for events', () => {
    assert.equal(dnsDomainOf('DC=contoso,DC=test'), 'contoso.test')
    assert.equal(dnsDomainOf('OU=x, DC=corp,DC=contoso,DC=com'), 'corp.contoso.com')
  })

  it('`phs resync --all --dir` leaves a marker the running agent turns into a full resync', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'idb-phs-cli-'))
    dirs.push(dir)
    const state = new PhsStateFile(path.join(dir, PHS_STATE_FILE))
    const loop = new PasswordHashSyncLoop({
      source: new MemoryHashSource(),
      exporter: { sendBatch: async () => ({ ok: true, value: { results: [] } }), ping: async () => ({ ok: true, value: undefined }) },
      directory: { fullSyncCompleted: () => false, anchors: () => ({}) },
      state,
      eventLog: new MemoryEventLog(),
      clock: new ManualClock(),
      domain: 'contoso.test',
    })
    const stop = watchResyncMarker(dir, loop, 20)
    try {
      const asked = idbridge(['phs', 'resync', '--all', '--dir', dir, '--json'])
      assert.equal(asked.status, 0, asked.stderr)
      assert.ok(Date.parse(JSON.parse(asked.stdout).requestedAt) > 0)
      for (let i = 0; i < 100 && existsSync(path.join(dir, PHS_RESYNC_MARKER)); i++) await sleep(20)
      assert.equal(existsSync(path.join(dir, PHS_RESYNC_MARKER)), false, 'the agent consumed the marker')
      assert.notEqual(state.read().resyncRequestedAt, null)
    } finally {
      stop()
      await loop.stop()
    }
    const status = idbridge(['phs', 'status', '--dir', dir, '--json'])
    assert.equal(status.status, 0, status.stderr)
    assert.equal(JSON.parse(status.stdout).resyncRequested, true)
  })

  it('`phs status --dir` on a folder without PHS state says so with a catalogue code', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'idb-phs-cli-'))
    dirs.push(dir)
    const status = idbridge(['phs', 'status', '--dir', dir])
    assert.equal(status.status, 1)
    assert.match(status.stderr, /IDB_ERR_CONFIG_INVALID: phs.enabled .*no password hash sync state/)
  })
})
