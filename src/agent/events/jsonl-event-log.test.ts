import assert from 'node:assert/strict'
import { mkdtempSync, readdirSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { describe, it } from 'node:test'
import { ManualClock } from '../../time/clock.ts'
import { JsonlEventLog, readEvents } from './jsonl-event-log.ts'

describe('the JSON-lines agent event log', () => {
  it('rotates by size, keeps maxFiles files and reads back filtered by id and time, oldest first', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'idb-events-'))
    const clock = new ManualClock(Date.UTC(2026, 0, 1))
    const log = new JsonlEventLog({ dir, maxBytes: 1000, maxFiles: 3, clock })
    for (let i = 0; i < 40; i++) {
      clock.advance(1000)
      log.write({ id: i % 2 ? 31034 : 9100, source: 'idbridge', level: 'information', message: `event ${i}`, data: { i } })
    }
    const files = readdirSync(dir).sort()
    assert.deepEqual(files, ['events.1.jsonl', 'events.2.jsonl', 'events.jsonl'])
    for (const file of files) {
      assert.ok(statSync(path.join(dir, file)).size <= 1000)
      assert.equal(statSync(path.join(dir, file)).mode & 0o777, 0o600)
    }
    const all = readEvents(dir, { maxFiles: 3 })
    const numbers = all.map((e) => e.data?.i as number)
    assert.deepEqual(numbers, [...numbers].sort((a, b) => a - b), 'oldest first')
    assert.equal(numbers.at(-1), 39)
    assert.ok(numbers.length < 40, 'the oldest file was dropped')
    // Event i is stamped at start + (i + 1) s.
    const since = Date.UTC(2026, 0, 1) + 36_000
    assert.deepEqual(
      readEvents(dir, { id: 31034, since }).map((e) => e.data?.i),
      [35, 37, 39],
    )
  })
})
