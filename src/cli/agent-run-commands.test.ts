import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { mkdtempSync, readFileSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { describe, it } from 'node:test'
import { JsonlEventLog } from '../agent/events/jsonl-event-log.ts'
import { writeAgentKeyFile } from '../agent/keys/agent-key-file.ts'
import { generateAgentKeys } from '../agent/keys/generate-agent-keys.ts'
import { repoRoot } from '../config/load-config.ts'

function idbridge(args: string[], stdin = ''): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(repoRoot, 'bin', 'idbridge.js'), ...args])
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d) => (stdout += d))
    child.stderr.on('data', (d) => (stderr += d))
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }))
    child.stdin.end(stdin)
  })
}

describe('idbridge agent configure|status|events', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'idb-agent-cli-'))
  const PASSWORD = 'Connector-Secret-77!'

  it('configures the directory with the password kept in a 0600 file, out of the config', async () => {
    const ca = path.join(dir, 'ca.pem')
    const result = await idbridge(
      ['agent', 'configure', '--dir', dir, '--dc', 'ldaps://127.0.0.11:636', 'ldaps://127.0.0.12:636', '--base-dn', 'DC=contoso,DC=test',
        '--bind-dn', 'CN=svc,DC=contoso,DC=test', '--ca', ca, '--ou', 'OU=Synced Users,DC=contoso,DC=test', '--json'],
      `${PASSWORD}\n`,
    )
    assert.equal(result.code, 0, result.stderr)
    const configText = readFileSync(path.join(dir, 'agent.config.json'), 'utf8')
    assert.equal(configText.includes(PASSWORD), false)
    const config = JSON.parse(configText)
    assert.deepEqual(config.directory.domainControllers, ['ldaps://127.0.0.11:636', 'ldaps://127.0.0.12:636'])
    assert.equal(config.sync.deltaIntervalSeconds, 120)
    const passwordFile = config.directory.bindPasswordFile
    assert.equal(readFileSync(passwordFile, 'utf8'), `${PASSWORD}\n`)
    assert.equal(statSync(passwordFile).mode & 0o777, 0o600)
    const bad = await idbridge(['agent', 'configure', '--dir', dir, '--dc', 'http://dc', '--base-dn', 'x', '--bind-dn', 'y', '--ca', ca, '--ou', 'z'], 'p\n')
    assert.equal(bad.code, 1)
    assert.match(bad.stderr, /IDB_ERR_INVALID_INPUT: directory\.domainControllers\.0: an ldaps:\/\/ or ldap:\/\/ URL/)
    const base = ['agent', 'configure', '--dir', dir, '--dc', 'ldaps://127.0.0.11:636', '--base-dn', 'DC=contoso,DC=test', '--bind-dn', 'CN=svc,DC=contoso,DC=test', '--ca', ca, '--ou', 'OU=Synced Users,DC=contoso,DC=test']
    const withPhs = await idbridge([...base, '--phs', 'CONTOSO\\svc-idbridge'], `${PASSWORD}\n`)
    assert.equal(withPhs.code, 0, withPhs.stderr)
    assert.deepEqual(JSON.parse(readFileSync(path.join(dir, 'agent.config.json'), 'utf8')).phs, {
      enabled: true,
      account: { domain: 'CONTOSO', username: 'svc-idbridge' },
      intervalSeconds: 120,
    })
    const badPhs = await idbridge([...base, '--phs', 'svc-idbridge'], `${PASSWORD}\n`)
    assert.equal(badPhs.code, 1)
    assert.match(badPhs.stderr, /IDB_ERR_INVALID_INPUT: phs\.account\.(domain|username)/)
  })

  it('reports status and filters the event log by ID and time', async () => {
    const keys = await generateAgentKeys()
    const agentId = randomUUID()
    await writeAgentKeyFile(dir, { format: 'idbridge-agent-key/1', agentId, tenantId: 't1', cloudUrl: 'https://127.0.0.1:8443', keysCreatedAt: Date.UTC(2026, 0, 1), ...keys })
    const log = new JsonlEventLog({ dir: path.join(dir, 'events') })
    log.write({ id: 31018, source: 'PasswordResetService', level: 'information', message: 'KeyPairCreationSuccess' })
    log.write({ id: 611, source: 'Directory Synchronization', level: 'error', message: 'DC down' })
    const status = await idbridge(['agent', 'status', '--dir', dir, '--json'])
    assert.equal(status.code, 0, status.stderr)
    const parsed = JSON.parse(status.stdout)
    assert.equal(parsed.agentId, agentId)
    assert.equal(parsed.running, false)
    assert.equal(parsed.configured, true)
    assert.equal(parsed.lastRun, null)
    const events = await idbridge(['agent', 'events', '--dir', dir, '--id', '611', '--json'])
    assert.deepEqual(JSON.parse(events.stdout).map((e: { message: string }) => e.message), ['DC down'])
    const later = await idbridge(['agent', 'events', '--dir', dir, '--since', '2999-01-01T00:00:00Z', '--json'])
    assert.deepEqual(JSON.parse(later.stdout), [])
    const badSince = await idbridge(['agent', 'events', '--dir', dir, '--since', 'yesterday'])
    assert.equal(badSince.code, 1)
  })
})
