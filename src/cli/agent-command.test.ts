import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { mkdtempSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { describe, it } from 'node:test'
import { readEvents } from '../agent/events/jsonl-event-log.ts'
import { loadConfig, repoRoot } from '../config/load-config.ts'
import { startCloud } from '../cloud/start-cloud.ts'

const bin = path.join(repoRoot, 'bin', 'idbridge.js')

function idbridge(dataDir: string, args: string[], stdin = ''): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { env: { ...process.env, IDBRIDGE_DATA_DIR: dataDir } })
    let stdout = ''
    let stderr = ''
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`idbridge ${args.join(' ')} took over 30 s`))
    }, 30_000)
    child.stdout.on('data', (d) => (stdout += d))
    child.stderr.on('data', (d) => (stderr += d))
    child.on('close', (code) => {
      clearTimeout(timer)
      resolve({ code: code ?? -1, stdout, stderr })
    })
    child.stdin.end(stdin)
  })
}

describe('idbridge agent', () => {
  it('token create, register (token on stdin) and rotate-keys, end to end', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'idb-agent-cli-'))
    const env = { IDBRIDGE_DATA_DIR: dataDir, IDBRIDGE_HTTP_PORT: '0' }
    // The first start creates the default tenant; the CLI needs the store to itself, as with SQLite it must.
    await (await startCloud(loadConfig({ env }))).close()
    const token = await idbridge(dataDir, ['agent', 'token', 'create', '--json'])
    assert.equal(token.code, 0, token.stderr)
    const { token: secret, expiresAt } = JSON.parse(token.stdout)
    assert.match(secret, /^idbreg_/)
    assert.ok(Date.parse(expiresAt) > Date.now() + 59 * 60_000)

    const cloud = await startCloud(loadConfig({ env }))
    try {
      const dir = path.join(mkdtempSync(path.join(tmpdir(), 'idb-agent-cli-')), 'agent')
      const args = ['agent', 'register', '--cloud', cloud.url, '--token', '-', '--ca', cloud.certFile, '--dir', dir]
      const registered = await idbridge(dataDir, [...args, '--json'], `${secret}\n`)
      assert.equal(registered.code, 0, registered.stderr)
      const { agentId } = JSON.parse(registered.stdout)
      assert.equal(statSync(path.join(dir, 'agent-key.json')).mode & 0o777, 0o600)

      const again = await idbridge(dataDir, [...args, '--force'], `${secret}\n`)
      assert.equal(again.code, 1)
      assert.match(again.stderr, /IDB_ERR_AGENT_REGISTRATION_TOKEN: registration token \S+ was already used/)
      assert.match(again.stderr, /fix: +Create a new token/)

      const before = (await cloud.store.agents.get(agentId))?.identityPublicKey
      const rotated = await idbridge(dataDir, ['agent', 'rotate-keys', '--dir', dir, '--json'])
      assert.equal(rotated.code, 0, rotated.stderr)
      assert.notEqual((await cloud.store.agents.get(agentId))?.identityPublicKey, before)
      assert.deepEqual(
        readEvents(path.join(dir, 'events'), { id: 31018 }).map((e) => e.data?.reason),
        ['register', 'rotate-keys'],
      )
    } finally {
      await cloud.close()
    }
  })
})
