import assert from 'node:assert/strict'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { after, test } from 'node:test'
import { AgentStateFile, emptyAgentState } from './agent-state-file.ts'

const dir = mkdtempSync(path.join(tmpdir(), 'idbridge-state-'))
after(() => rmSync(dir, { recursive: true, force: true }))

test('answers from memory while the file is unchanged, and sees another process write it', () => {
  const file = path.join(dir, 'sync-state.json')
  const agent = new AgentStateFile(file)
  const cli = new AgentStateFile(file)
  assert.deepEqual(agent.read(), emptyAgentState, 'no file: start with a full import')
  agent.write({ ...emptyAgentState, anchors: { g1: 'a1' } })
  assert.equal(agent.read(), agent.read(), 'the same object while nothing changed')
  assert.deepEqual(cli.read().anchors, { g1: 'a1' })
  cli.write({ ...emptyAgentState, anchors: { g1: 'a1', g2: 'a2' } })
  assert.deepEqual(agent.read().anchors, { g1: 'a1', g2: 'a2' }, "another instance's write is read")
  writeFileSync(file, '{not json')
  assert.deepEqual(agent.read(), emptyAgentState, 'a torn file means a full import, not a stale cache')
})
