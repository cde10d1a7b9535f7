import assert from 'node:assert/strict'
import { execFile, spawn } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { describe, it } from 'node:test'
import { promisify } from 'node:util'
import { loadConfig, repoRoot } from '../config/load-config.ts'
import { openStore } from '../store/kysely-store.ts'
import { storeTarget } from '../store/store-target.ts'
import { systemClock } from '../time/clock.ts'

const execFileAsync = promisify(execFile)
const bin = path.join(repoRoot, 'bin', 'idbridge.js')

/** Runs the real CLI; stdin carries any password, exactly as a user would pipe it. */
function idbridge(
  dataDir: string,
  args: string[],
  stdin = '',
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], {
      env: { ...process.env, IDBRIDGE_DATA_DIR: dataDir, IDBRIDGE_HTTP_PORT: '0' },
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d) => (stdout += d))
    child.stderr.on('data', (d) => (stderr += d))
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }))
    child.stdin.end(stdin)
  })
}

describe('idbridge CLI', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'idb-cli-'))
  const PASSWORD = 'Quiet-Lantern-55?'

  it('creates tenants, users and tokens, and reads the audit log, with --json', async () => {
    const tenant = await idbridge(dataDir, [
      'tenant',
      'create',
      '--name',
      'fabrikam',
      '--domain',
      'fabrikam.test',
      '--json',
    ])
    assert.equal(tenant.code, 0, tenant.stderr)
    assert.match(JSON.parse(tenant.stdout).firstAdmin.apiToken, /^idb_/)
    const list = await idbridge(dataDir, ['tenant', 'list', '--json'])
    assert.deepEqual(
      JSON.parse(list.stdout).map((t: { name: string }) => t.name),
      ['fabrikam'],
    )

    const add = await idbridge(
      dataDir,
      ['user', 'add', '--tenant', 'fabrikam', '--upn', 'ada@fabrikam.test', '--given-name', 'Ada', '--json'],
      `${PASSWORD}\n`,
    )
    assert.equal(add.code, 0, add.stderr)
    assert.equal(JSON.parse(add.stdout).userPrincipalName, 'ada@fabrikam.test')
    const show = await idbridge(dataDir, ['user', 'show', 'ADA@fabrikam.test', '--tenant', 'fabrikam', '--json'])
    assert.equal(JSON.parse(show.stdout).givenName, 'Ada')
    const disable = await idbridge(dataDir, ['user', 'disable', 'ada@fabrikam.test', '--tenant', 'fabrikam'])
    assert.equal(disable.code, 0, disable.stderr)
    const users = await idbridge(dataDir, ['user', 'list', '--tenant', 'fabrikam', '--json'])
    const ada = JSON.parse(users.stdout).users.find(
      (u: { userPrincipalName: string }) => u.userPrincipalName === 'ada@fabrikam.test',
    )
    assert.equal(ada.accountEnabled, false)

    const token = await idbridge(dataDir, ['admin', 'token', 'create', '--tenant', 'fabrikam', '--json'])
    assert.match(JSON.parse(token.stdout).token, /^idb_/)
    const audit = await idbridge(dataDir, ['audit', 'list', '--tenant', 'fabrikam', '--json'])
    const activities = JSON.parse(audit.stdout).map((e: { activity: string }) => e.activity)
    for (const a of ['Add company', 'Add user', 'Disable account', 'Update StsRefreshTokenValidFrom Timestamp'])
      assert.ok(activities.includes(a), a)
    for (const file of readdirSync(dataDir)) {
      assert.equal(readFileSync(path.join(dataDir, file)).toString('latin1').includes(PASSWORD), false, file)
    }
  })

  it("`phs status` shows the tenant's per-user hash sync health, with lag", async () => {
    const store = await openStore(storeTarget(loadConfig({ env: { IDBRIDGE_DATA_DIR: dataDir } })), systemClock)
    try {
      const tenant = (await store.tenants.getByName('fabrikam'))!
      const ada = (await store.users.getByUserPrincipalName(tenant.id, 'ada@fabrikam.test'))!
      const now = Date.now()
      await store.passwordHashSync.record(tenant.id, [
        { userId: ada.id, agentId: 'agent-1', result: 'Success', detail: null, changedAt: now - 90_000, syncedAt: now },
      ])
    } finally {
      await store.close()
    }
    const json = await idbridge(dataDir, ['phs', 'status', '--tenant', 'fabrikam', '--json'])
    assert.equal(json.code, 0, json.stderr)
    const status = JSON.parse(json.stdout)
    assert.equal(status.total, 1)
    assert.equal(status.users[0].userPrincipalName, 'ada@fabrikam.test')
    assert.equal(status.users[0].lagSeconds, 90)
    const text = await idbridge(dataDir, ['phs', 'status', '--tenant', 'fabrikam'])
    assert.match(text.stdout, /Password hash sync: OFF for fabrikam; 1 users reported\.\nada@fabrikam\.test\tSuccess\tsynced .*\tlag 90 s/)
  })

  it('explains errors with the code, cause and fix, and exits non-zero', async () => {
    const weak = await idbridge(
      dataDir,
      ['user', 'add', '--tenant', 'fabrikam', '--upn', 'weak@fabrikam.test'],
      'short\n',
    )
    assert.equal(weak.code, 1)
    assert.match(weak.stderr, /IDB_ERR_PASSWORD_POLICY/)
    assert.match(weak.stderr, /fix:/)
    const noTenant = await idbridge(dataDir, ['user', 'list', '--tenant', 'nope'])
    assert.equal(noTenant.code, 1)
    assert.match(noTenant.stderr, /IDB_ERR_TENANT_NOT_FOUND: no tenant named nope/)
    const badConfig = await execFileAsync(process.execPath, [bin, 'tenant', 'list'], {
      env: { ...process.env, IDBRIDGE_DATA_DIR: dataDir, IDBRIDGE_LOG_LEVEL: 'loud' },
    }).catch((e) => e)
    assert.match(String(badConfig.stderr), /log\.level \(from IDBRIDGE_LOG_LEVEL\)/)
  })

  it('tells a second process that the embedded store is in use', async () => {
    const server = spawn(process.execPath, [bin, 'cloud', 'serve'], {
      env: { ...process.env, IDBRIDGE_DATA_DIR: dataDir, IDBRIDGE_HTTP_PORT: '0' },
    })
    try {
      await new Promise<void>((resolve, reject) => {
        let out = ''
        server.stdout.on('data', (d) => {
          out += d
          if (out.includes('Admin: ')) resolve()
        })
        server.on('exit', () => reject(new Error('server exited')))
      })
      const second = await idbridge(dataDir, ['tenant', 'list'])
      assert.equal(second.code, 1)
      assert.match(second.stderr, /IDB_ERR_STORE_LOCKED/)
      assert.match(second.stderr, /Stop the other process/)
    } finally {
      server.kill('SIGTERM')
    }
  })
})
