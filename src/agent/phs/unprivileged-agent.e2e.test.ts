import assert from 'node:assert/strict'
import { type ChildProcess, spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { chmodSync, copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { after, before, describe, it } from 'node:test'
import { prepareLabAgent } from '../../cli/demo-agent.ts'
import { type RunningCloud, startCloud } from '../../cloud/start-cloud.ts'
import { loadConfig, repoRoot } from '../../config/load-config.ts'
import { checkPassword } from '../../crypto/password-verifier.ts'
import { runCommand } from '../../lab/run-command.ts'
import { ConnectorTestLab } from '../directory/connector-test-lab.ts'
import { AGENT_CONFIG_FILE } from '../start-agent.ts'

// Any account without a way into Samba's private folder proves the point; nobody exists everywhere.
const UNPRIVILEGED = 'nobody'

/** Points the agent's files at copies inside its own folder, which the unprivileged user will own. */
function ownCopies(agentDir: string, caCert: string, tenantCert: string): void {
  copyFileSync(caCert, path.join(agentDir, 'dc-ca.pem'))
  copyFileSync(tenantCert, path.join(agentDir, 'tenant-ca.pem'))
  const configFile = path.join(agentDir, AGENT_CONFIG_FILE)
  const config = JSON.parse(readFileSync(configFile, 'utf8'))
  config.directory.caCertFile = path.join(agentDir, 'dc-ca.pem')
  writeFileSync(configFile, JSON.stringify(config))
  const keyFile = path.join(agentDir, 'agent-key.json')
  const key = JSON.parse(readFileSync(keyFile, 'utf8'))
  key.caFile = path.join(agentDir, 'tenant-ca.pem')
  writeFileSync(keyFile, JSON.stringify(key), { mode: 0o600 })
}

describe('the agent as an unprivileged OS user gets hashes over the wire', () => {
  let lab: ConnectorTestLab
  let cloud: RunningCloud
  let child: ChildProcess | undefined
  let stderr = ''
  const home = mkdtempSync(path.join(tmpdir(), 'idb-unpriv-'))
  const agentDir = path.join(home, 'agent')
  const password = `Unpriv-${randomBytes(5).toString('hex')}-3c!`

  before(async () => {
    lab = await ConnectorTestLab.open()
    await lab.addUser('Unpriv User', { password })
    const dataDir = mkdtempSync(path.join(tmpdir(), 'idb-unpriv-cloud-'))
    writeFileSync(path.join(dataDir, 'idbridge.config.json'), JSON.stringify({ dataDir, http: { port: 0 } }))
    cloud = await startCloud(loadConfig({ file: path.join(dataDir, 'idbridge.config.json'), env: {} }))
    await cloud.store.tenants.updateSettings(cloud.tenant.id, { ...cloud.tenant.settings, passwordHashSyncEnabled: true })
    await prepareLabAgent(cloud, lab.lab, agentDir, { ous: [lab.inOu], sync: { presenceCheckSeconds: 0 }, phs: true })
    ownCopies(agentDir, lab.lab.caCertPath, cloud.certFile)
    chmodSync(home, 0o700)
    // The whole folder, so the agent's own temp files (tsx's cache) land there too.
    const owned = await runCommand('chown', ['-R', `${UNPRIVILEGED}:`, home])
    assert.equal(owned.code, 0, owned.stderr)
  })
  after(async () => {
    if (child?.pid && child.exitCode === null) {
      process.kill(-child.pid, 'SIGTERM')
      await new Promise((resolve) => child!.once('exit', resolve))
    }
    await cloud?.close()
    await lab?.cleanup()
    rmSync(home, { recursive: true, force: true })
  })

  it('cannot read the DC database itself', async () => {
    const probe = await runCommand('runuser', ['-u', UNPRIVILEGED, '--', 'cat', lab.lab.samLdbPath], { allowFailure: true })
    assert.notEqual(probe.code, 0)
    assert.match(probe.stderr, /Permission denied/)
  })

  it('syncs the password to the tenant anyway, through DRSGetNCChanges', async () => {
    child = spawn('runuser', ['-u', UNPRIVILEGED, '--', process.execPath, path.join(repoRoot, 'bin', 'idbridge.js'), 'agent', 'run', '--dir', agentDir], {
      // The agent needs no secret in its environment: the connector password is in its 0600 file.
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home, TMPDIR: home },
      detached: true,
      stdio: ['ignore', 'ignore', 'pipe'],
    })
    child.stderr!.on('data', (d) => (stderr += d))
    const upn = `ct-unprivuser@${lab.lab.dnsDomain}`
    const deadline = Date.now() + 90_000
    for (;;) {
      const user = await cloud.store.users.getByUserPrincipalName(cloud.tenant.id, upn)
      const credential = user && (await cloud.store.credentials.get(cloud.tenant.id, user.id))
      if (credential && (await checkPassword(credential.verifier, password))) break
      assert.equal(child.exitCode, null, `the agent exited: ${stderr.slice(-2000)}`)
      assert.ok(Date.now() < deadline, `no hash after 90 s; agent stderr: ${stderr.slice(-2000)}`)
      await new Promise((resolve) => setTimeout(resolve, 250))
    }
    const uid = await runCommand('id', ['-u', UNPRIVILEGED])
    const status = readFileSync(`/proc/${child.pid}/status`, 'utf8')
    // runuser keeps its own root process and runs the agent as its child; the child must not be root.
    const children = await runCommand('pgrep', ['-P', String(child.pid)])
    const agentStatus = readFileSync(`/proc/${children.stdout.trim().split('\n')[0]}/status`, 'utf8')
    assert.match(agentStatus, new RegExp(`^Uid:\\s+${uid.stdout.trim()}\\s`, 'm'))
    assert.ok(status.length > 0)
  })
})
