import assert from 'node:assert/strict'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { after, before, describe, it } from 'node:test'
import { createTestCloud, type TestCloud } from '../../cloud/web/test-cloud-app.ts'
import { configSchema } from '../../config/config-schema.ts'
import type { LoadedConfig } from '../../config/load-config.ts'
import { errorCatalogue } from '../../errors/error-catalogue.ts'
import { IdbridgeError } from '../../errors/idbridge-error.ts'
import { collectDoctorBundle } from './collect-doctor-bundle.ts'
import type { DoctorBundle } from './doctor-report.ts'
import { makeTestAgentDir, type TestAgentDir } from './doctor-test-support.ts'

const DB_PASSWORD = 'Db-Secret-Pass-9'
const SMS_TOKEN = 'Sms-Token-77abc'
const CONNECTOR_PASSWORD = 'Connector-Pass-31!'
const LOGGED_SECRET = 'Logged-By-Mistake-12!'
const DAY = 24 * 60 * 60 * 1000

describe('idbridge doctor bundle', () => {
  let cloud: TestCloud
  let work: string
  let agentDir: TestAgentDir
  let loaded: LoadedConfig
  let bundle: DoctorBundle
  let text: string

  before(async () => {
    cloud = await createTestCloud()
    work = mkdtempSync(path.join(tmpdir(), 'idb-doctor-'))
    const register = async (host: string) => {
      await cloud.store.agents.createRegistrationToken(cloud.tenant.id, `reg-${host}`, cloud.clock.now() + 3_600_000)
      const agent = await cloud.store.agents.register(`reg-${host}`, {
        host,
        version: '0.1.0',
        identityPublicKey: 'ed25519-public',
        encryptionPublicKey: 'rsa-public',
      })
      assert.ok(agent.ok)
      return agent.value
    }
    const old = await register('old-host')
    await cloud.store.agents.markSeen(old.id, { state: 'offline', node: null })
    cloud.clock.advance(200 * DAY)
    const fresh = await register('fresh-host')
    await cloud.store.agents.markSeen(fresh.id, { state: 'online', node: 'node-a' })
    await cloud.store.syncRuns.save({
      id: 'run-held-0001',
      tenantId: cloud.tenant.id,
      agentId: fresh.id,
      kind: 'full',
      status: 'awaiting-delete-confirmation',
      startedAt: cloud.clock.now(),
      finishedAt: cloud.clock.now(),
      created: 0,
      updated: 0,
      deleted: 0,
      failed: 0,
      pendingDeletes: [{ immutableId: 'YW5jaG9y', userPrincipalName: 'gone@contoso.test', distinguishedName: null }],
      details: { created: [], updated: [], deleted: [], failed: [] },
    })
    await cloud.store.tenants.updateSettings(cloud.tenant.id, { ...cloud.tenant.settings, passwordHashSyncEnabled: true })
    const users = await cloud.store.users.list(cloud.tenant.id, { offset: 0, limit: 1 })
    await cloud.store.passwordHashSync.record(cloud.tenant.id, [
      { userId: users.users[0]!.id, agentId: fresh.id, result: 'Error', detail: 'IDB_ERR_PHS_NOT_ACTIVATED', changedAt: null, syncedAt: cloud.clock.now() },
    ])
    agentDir = await makeTestAgentDir({
      dir: path.join(work, 'agent'),
      tenantId: cloud.tenant.id,
      clock: cloud.clock,
      connectorPassword: CONNECTOR_PASSWORD,
      keysCreatedAt: cloud.clock.now() - 190 * DAY,
      passwordFileMode: 0o644,
    })
    mkdirSync(path.join(work, 'logs'))
    const logLines = [
      { level: 50, time: cloud.clock.now(), code: 'IDB_ERR_STORE_UNAVAILABLE', msg: 'request failed' },
      { level: 30, time: cloud.clock.now(), msg: `oops ${LOGGED_SECRET}`, password: LOGGED_SECRET },
    ]
    writeFileSync(path.join(work, 'logs', 'cloud.log'), logLines.map((l) => JSON.stringify(l)).join('\n'))
    const config = configSchema.parse({
      dataDir: work,
      http: { publicUrl: `https://portal:${DB_PASSWORD}@portal.contoso.test/x?token=${SMS_TOKEN}` },
      database: { url: `postgres://idb:${DB_PASSWORD}@db.contoso.test:5432/idbridge`, schema: 'tenant_a' },
      sspr: {
        smtp: { host: 'smtp.contoso.test', from: 'it@contoso.test', user: 'mailer', passwordFile: '/etc/idbridge/smtp-password' },
        smsWebhook: { url: `https://sms.contoso.test/hook/${SMS_TOKEN}?token=${SMS_TOKEN}` },
      },
    })
    loaded = { config, dataDir: work, source: path.join(work, 'idbridge.config.json') }
    bundle = await collectDoctorBundle({
      loaded,
      store: { ok: true, value: cloud.store },
      clock: cloud.clock,
      agentDir: agentDir.dir,
      limit: 20,
    })
    text = JSON.stringify(bundle)
  })
  after(async () => {
    await cloud.dispose()
    rmSync(work, { recursive: true, force: true })
  })

  const codes = (b: DoctorBundle) => b.findings.map((f) => f.code)

  it('recognises an offline agent, old keys, held deletes, PHS errors and a readable password file', () => {
    for (const code of [
      'IDB_ERR_AGENT_OFFLINE',
      'IDB_ERR_AGENT_KEYS_OLD',
      'IDB_ERR_SYNC_DELETES_HELD',
      'IDB_ERR_PHS_USER_ERRORS',
      'IDB_ERR_SECRET_FILE_MODE',
    ]) {
      assert.ok(codes(bundle).includes(code as never), `${code} in ${codes(bundle).join(', ')}`)
    }
    for (const f of bundle.findings) {
      const entry = errorCatalogue[f.code]
      assert.equal(f.cause, entry.cause)
      assert.equal(f.fix, entry.fix)
      assert.ok(f.detail.length > 0)
    }
    assert.deepEqual(bundle.sections.agents?.findings.filter((f) => f.code === 'IDB_ERR_AGENT_OFFLINE').map((f) => f.severity), ['warning'], 'another agent is online')
  })

  it('repeats the catalogue entry of every code seen in findings, events, PHS details and the log', () => {
    for (const code of [...codes(bundle), 'AGENT_ERR_PHS_ACCESS_DENIED', 'IDB_ERR_PHS_NOT_ACTIVATED', 'IDB_ERR_STORE_UNAVAILABLE']) {
      assert.deepEqual(bundle.errorCodes[code]?.fix, errorCatalogue[code as keyof typeof errorCatalogue].fix, code)
    }
    assert.deepEqual((bundle.sections.cloudLog?.data as { codes: object }).codes, { IDB_ERR_STORE_UNAVAILABLE: 1 })
  })

  it('summarises the agent folder: config paths, counts and events, not anchors, keys or the password', () => {
    const agent = bundle.sections.agent!.data as {
      identity: { agentId: string; encryptionKey: string }
      config: { directory: { bindPasswordFile: { path: string; mode: string } } }
      syncState: { exportedUsers: number; deltaMode: string }
      passwordHashSync: { retrying: number; byResult: Record<string, number> }
      events: { id: number }[]
    }
    assert.equal(agent.identity.agentId, agentDir.agentId)
    assert.match(agent.identity.encryptionKey, /^SHA256:/)
    assert.deepEqual(agent.config.directory.bindPasswordFile, { path: agentDir.bindPasswordFile, present: true, mode: '644' })
    assert.equal(agent.syncState.exportedUsers, 2)
    assert.equal(agent.syncState.deltaMode, 'dirsync')
    assert.deepEqual(agent.passwordHashSync.byResult, { Error: 1 })
    assert.deepEqual(agent.events.map((e) => e.id), [611])
    assert.ok(!text.includes('YW5jaG9yLTAwMDAwMDAwMQ=='), 'an exported anchor')
    assert.ok(!text.includes('opaque-dirsync-cookie'), 'the DirSync cookie')
  })

  it('never holds a secret: config credentials, tokens, keys, the connector password, logged secrets', () => {
    const body = (pem: string) => pem.split('\n').filter((l) => l && !l.startsWith('-----')).join('')
    const secrets = [
      DB_PASSWORD,
      SMS_TOKEN,
      CONNECTOR_PASSWORD,
      LOGGED_SECRET,
      cloud.token,
      body(agentDir.keys.identityPrivateKey).slice(0, 40),
      body(agentDir.keys.encryptionPrivateKey).slice(10, 60),
      'idb:',
      'mailer',
    ]
    for (const secret of secrets) assert.ok(!text.includes(secret), `the bundle holds ${secret}`)
    const config = bundle.sections.config!.data as { database: object; http: { publicUrl: string }; sspr: { smsWebhook: { origin: string } } }
    assert.deepEqual(config.database, { backend: 'postgres', host: 'db.contoso.test', port: '5432', database: 'idbridge', schema: 'tenant_a', credentialsInUrl: true })
    assert.equal(config.http.publicUrl, 'https://portal.contoso.test')
    assert.equal(config.sspr.smsWebhook.origin, 'https://sms.contoso.test')
  })

  it('flags password hash sync turned on with no agent', async () => {
    const other = await cloud.otherTenant('fabrikam')
    await cloud.store.tenants.updateSettings(other.tenant.id, { ...other.tenant.settings, passwordHashSyncEnabled: true })
    const b = await collectDoctorBundle({ loaded, store: { ok: true, value: cloud.store }, clock: cloud.clock, tenantName: 'fabrikam', limit: 5 })
    assert.deepEqual(codes(b), ['IDB_ERR_PHS_NO_AGENT'])
    assert.ok(b.errorCodes.IDB_ERR_PHS_NO_AGENT)
  })

  it('still writes a bundle when the store cannot be opened, with the reason as a finding', async () => {
    const locked = new IdbridgeError('IDB_ERR_STORE_LOCKED', { detail: 'idbridge.db is locked by another idbridge process' })
    const b = await collectDoctorBundle({ loaded, store: { ok: false, error: locked }, clock: cloud.clock, limit: 5 })
    assert.deepEqual(codes(b), ['IDB_ERR_STORE_LOCKED'])
    assert.ok(b.sections.versions && b.sections.config && b.sections.cloudLog)
    assert.match(b.sections.store!.summary, /could not be read/)
  })
})
