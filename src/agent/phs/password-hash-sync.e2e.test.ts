import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { after, before, describe, it } from 'node:test'
import { prepareLabAgent } from '../../cli/demo-agent.ts'
import { signIn } from '../../cloud/auth/sign-in.ts'
import { callCloud } from '../../cloud/https-test-client.ts'
import { type RunningCloud, startCloud } from '../../cloud/start-cloud.ts'
import { loadConfig } from '../../config/load-config.ts'
import { ntHash } from '../../crypto/org-id-hash.ts'
import { checkPassword } from '../../crypto/password-verifier.ts'
import { runCommand } from '../../lab/run-command.ts'
import { systemClock } from '../../time/clock.ts'
import { ConnectorTestLab } from '../directory/connector-test-lab.ts'
import { type RunningAgent, startAgent } from '../start-agent.ts'
import { PHS_STATE_FILE } from './phs-files.ts'
import { PhsStateFile } from './phs-state-file.ts'
import { eventually } from '../../lab/eventually.ts'

/** Every file under `dir`, as text: what a leak scan reads. */
function allText(dir: string): string {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => readFileSync(path.join(e.parentPath, e.name)).toString('latin1'))
    .join('\n')
}

describe('password hash sync from the Samba lab to the tenant over MS-DRSR', () => {
  let lab: ConnectorTestLab
  let cloud: RunningCloud
  let agent: RunningAgent
  const agentDir = mkdtempSync(path.join(tmpdir(), 'idb-phs-agent-'))
  const dataDir = mkdtempSync(path.join(tmpdir(), 'idb-phs-cloud-'))
  const first = `Phs-First-${randomBytes(5).toString('hex')}-1a!`
  const second = `Phs-Second-${randomBytes(5).toString('hex')}-2b!`
  const third = `Phs-Third-${randomBytes(5).toString('hex')}-3c!`
  let dn: string
  const sam = 'ct-phsuser'
  const upn = () => `${sam}@${lab.lab.dnsDomain}`

  const tenantCredential = async () => {
    const user = await cloud.store.users.getByUserPrincipalName(cloud.tenant.id, upn())
    return user && (await cloud.store.credentials.get(cloud.tenant.id, user.id))
  }
  const accepts = async (password: string) => {
    const credential = await tenantCredential()
    return Boolean(credential && (await checkPassword(credential.verifier, password)))
  }
  const signInDeps = () => ({
    store: cloud.store,
    clock: systemClock,
    lockout: { threshold: 10, baseLockMs: 60_000, maxLockMs: 600_000 },
    sessionMinutes: 5,
  })
  const samba = (args: string[], input?: string) =>
    runCommand('samba-tool', [...args, '-H', lab.lab.samLdbPath], { input, timeoutMs: 30_000 })

  before(async () => {
    lab = await ConnectorTestLab.open()
    dn = await lab.addUser('Phs User', { password: first })
    const configFile = path.join(dataDir, 'idbridge.config.json')
    writeFileSync(configFile, JSON.stringify({ dataDir, http: { port: 0 } }))
    cloud = await startCloud(loadConfig({ file: configFile, env: {} }))
    await cloud.store.tenants.updateSettings(cloud.tenant.id, { ...cloud.tenant.settings, passwordHashSyncEnabled: true })
    await prepareLabAgent(cloud, lab.lab, agentDir, {
      ous: [lab.inOu],
      sync: { deltaIntervalSeconds: 10, presenceCheckSeconds: 0 },
      phs: { intervalSeconds: 10 },
    })
    agent = await startAgent(agentDir)
    await agent.firstRun
  })
  after(async () => {
    await agent?.stop()
    await cloud?.close()
    await lab?.cleanup()
  })

  it('the initial sync lets the user sign in to the tenant with the AD password', async () => {
    await eventually('the initial password sync', () => accepts(first), { timeoutMs: 60_000 })
    const tenant = (await cloud.store.tenants.get(cloud.tenant.id))!
    const signedIn = await signIn(
      signInDeps(),
      { tenant, userPrincipalName: upn(), password: first, correlationId: 'phs-e2e' },
    )
    assert.ok(signedIn.ok, signedIn.ok ? '' : signedIn.error.code)
    const user = (await cloud.store.users.getByUserPrincipalName(cloud.tenant.id, upn()))!
    assert.ok(user.passwordPolicies.includes('DisablePasswordExpiration'))
    const state = new PhsStateFile(path.join(agentDir, PHS_STATE_FILE)).read()
    assert.ok(state.initialCompletedAt)
    const events = readFileSync(path.join(agentDir, 'events', readdirSync(path.join(agentDir, 'events'))[0]!), 'utf8')
    for (const id of [617, 618, 622, 623, 650, 651, 656, 657]) assert.match(events, new RegExp(`"id":${id}\\b`), `event ${id}`)
    assert.match(events, new RegExp(`Password Change Result - Anchor: [^,]+, Dn: ${dn.replace(/[()]/g, '\\$&')}, Result: Success\\.`, 'i'))
  })

  it('a password set with samba-tool works in the tenant within seconds, and the old one stops working', async () => {
    const started = Date.now()
    const set = await samba(['user', 'setpassword', sam], `${second}\n${second}\n`)
    assert.equal(set.code, 0, set.stderr)
    await eventually('the delta password sync', () => accepts(second), { timeoutMs: 15_000 })
    const lagMs = Date.now() - started
    assert.ok(lagMs < 15_000, `took ${lagMs} ms`)
    assert.equal(await accepts(first), false)
    const audit = await cloud.store.audit.list(cloud.tenant.id, { activity: 'Change user password', target: upn(), limit: 5 })
    assert.equal(audit[0]?.actor, 'Password hash sync')
    const user = (await cloud.store.users.getByUserPrincipalName(cloud.tenant.id, upn()))!
    const health = (await cloud.store.passwordHashSync.get(cloud.tenant.id, user.id))!
    assert.equal(health.result, 'Success')
    assert.equal(health.agentId, agent.agentId)
  })

  it('after an admin reset through writeback, the hash PHS brings back matches and is audited', async () => {
    const settings = (await cloud.store.tenants.get(cloud.tenant.id))!.settings
    await cloud.store.tenants.updateSettings(cloud.tenant.id, { ...settings, passwordWritebackEnabled: true })
    const user = (await cloud.store.users.getByUserPrincipalName(cloud.tenant.id, upn()))!
    const res = await callCloud(cloud, `/api/v1/users/${user.id}/password`, {
      method: 'POST',
      headers: { authorization: `Bearer ${cloud.created?.firstAdmin.apiToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ password: third }),
    })
    assert.equal(res.status, 200, res.body)
    // The tenant takes the new password at once; PHS then replaces that copy with AD's own hash.
    await eventually('the synced hash of the reset password', async () => {
      const credential = await tenantCredential()
      return credential?.verifier.startsWith('v1;PPH1_MD4,') && (await checkPassword(credential.verifier, third))
    })
    const audit = await cloud.store.audit.list(cloud.tenant.id, { activity: 'Change user password', target: upn(), limit: 5 })
    assert.equal(audit.length, 2, 'one for the samba-tool change, one for the hash of the reset')
  })

  it('a disabled AD account cannot sign in after the next delta', async () => {
    const disabled = await samba(['user', 'disable', sam])
    assert.equal(disabled.code, 0, disabled.stderr)
    await eventually('the disabled state', async () => {
      const user = await cloud.store.users.getByUserPrincipalName(cloud.tenant.id, upn())
      return user && !user.accountEnabled
    })
    const tenant = (await cloud.store.tenants.get(cloud.tenant.id))!
    const refused = await signIn(
      signInDeps(),
      { tenant, userPrincipalName: upn(), password: third, correlationId: 'phs-e2e' },
    )
    assert.ok(!refused.ok && refused.error.code === 'IDB_ERR_SIGNIN_FAILED')
    await samba(['user', 'enable', sam])
  })

  it('leaves neither password nor NT hash in the agent folder or the tenant database', async () => {
    const text = allText(agentDir) + allText(dataDir)
    for (const password of [first, second, third]) {
      const nt = await ntHash(password)
      assert.ok(!text.includes(password))
      assert.ok(!text.includes(Buffer.from(password, 'utf16le').toString('latin1')))
      assert.ok(!text.toLowerCase().includes(nt.toString('hex')))
      assert.ok(!text.includes(nt.toString('latin1')))
      assert.ok(!text.includes(nt.toString('base64')))
    }
  })
})
