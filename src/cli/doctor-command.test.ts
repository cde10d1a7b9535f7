import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { after, describe, it } from 'node:test'
import { repoRoot } from '../config/load-config.ts'
import { openStore } from '../store/kysely-store.ts'
import { systemClock } from '../time/clock.ts'
import { makeTestAgentDir } from './doctor/doctor-test-support.ts'

const bin = path.join(repoRoot, 'bin', 'idbridge.js')

function idbridge(dataDir: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], { env: { ...process.env, IDBRIDGE_DATA_DIR: dataDir } })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d) => (stdout += d))
    child.stderr.on('data', (d) => (stderr += d))
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }))
    child.stdin.end()
  })
}

describe('idbridge doctor', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'idb-doctor-cli-'))
  after(() => rmSync(dataDir, { recursive: true, force: true }))

  it('prints the bundle with --json, writes a 0600 file with --out, and reads an agent folder', async () => {
    const created = await idbridge(dataDir, ['tenant', 'create', '--name', 'contoso', '--domain', 'contoso.test', '--json'])
    assert.equal(created.code, 0, created.stderr)
    const token: string = JSON.parse(created.stdout).firstAdmin.apiToken
    const agent = await makeTestAgentDir({
      dir: path.join(dataDir, 'agent'),
      tenantId: 'tenant-id',
      clock: systemClock,
      connectorPassword: 'Cli-Connector-Pass-4!',
    })

    const out = path.join(dataDir, 'support', 'bundle.json')
    const json = await idbridge(dataDir, ['doctor', '--json', '--out', out, '--agent-dir', agent.dir, '--limit', '5'])
    assert.equal(json.code, 0, json.stderr)
    const bundle = JSON.parse(json.stdout) as { format: string; sections: Record<string, { summary: string }>; findings: { code: string }[] }
    assert.equal(bundle.format, 'idbridge-doctor/1')
    for (const name of ['versions', 'config', 'store', 'tenant', 'agents', 'sync', 'passwordHashSync', 'auditLog', 'agentEvents', 'cloudLog', 'agent']) {
      assert.ok(bundle.sections[name], name)
    }
    assert.match(bundle.sections.versions!.summary, new RegExp(`Node ${process.version}`))
    assert.deepEqual(bundle.findings.map((f) => f.code), ['IDB_ERR_PHS_USER_ERRORS'], 'the test folder has one PHS user in Error')
    assert.equal(statSync(out).mode & 0o777, 0o600)
    const file = readFileSync(out, 'utf8')
    assert.deepEqual(JSON.parse(file).sections.tenant, bundle.sections.tenant)
    for (const secret of [token, 'Cli-Connector-Pass-4!']) {
      assert.ok(!json.stdout.includes(secret) && !file.includes(secret), 'a secret reached the bundle')
    }
  })

  it('reports a store held by the running service as a finding, still writes the bundle and exits 0', async () => {
    const store = await openStore({ kind: 'sqlite', file: path.join(dataDir, 'idbridge.db') })
    try {
      const out = path.join(dataDir, 'locked.json')
      const res = await idbridge(dataDir, ['doctor', '--out', out])
      assert.equal(res.code, 0, res.stderr)
      assert.match(res.stdout, /idbridge doctor: 1 findings \(1 errors, 0 warnings\)/)
      assert.match(res.stdout, /error +IDB_ERR_STORE_LOCKED \(store\)/)
      assert.match(res.stdout, /fix: Stop the other process/)
      assert.match(res.stdout, /Bundle written to .*locked\.json \(mode 600\)/)
      assert.equal(JSON.parse(readFileSync(out, 'utf8')).findings[0].code, 'IDB_ERR_STORE_LOCKED')
    } finally {
      await store.close()
    }
  })
})
