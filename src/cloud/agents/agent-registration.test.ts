import assert from 'node:assert/strict'
import { mkdtempSync, readFileSync, statSync } from 'node:fs'
import { request } from 'node:https'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { after, before, describe, it } from 'node:test'
import { readEvents } from '../../agent/events/jsonl-event-log.ts'
import { keyFilePath, readAgentKeyFile } from '../../agent/keys/agent-key-file.ts'
import { registerAgent } from '../../agent/keys/register-agent.ts'
import { JsonlEventLog } from '../../agent/events/jsonl-event-log.ts'
import { type AgentEventLog, MemoryEventLog } from '../../agent/events/agent-event.ts'
import { loadConfig } from '../../config/load-config.ts'
import { digestToken } from '../auth/admin-tokens.ts'
import { type RunningCloud, startCloud } from '../start-cloud.ts'
import { agentView, KEY_MAX_AGE_MS } from './agent-view.ts'

interface ApiJson {
  token: string
  expiresAt: string
  agents: { id: string; host: string; state: string; lastSeen: string | null; warnings: string[]; version: string; keysCreatedAt: string }[]
}

function api(cloud: RunningCloud, ca: Buffer, method: string, pathName: string): Promise<{ status: number; json: ApiJson }> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${cloud.url}${pathName}`,
      { method, ca, headers: { authorization: `Bearer ${cloud.created?.firstAdmin.apiToken}` } },
      (res) => {
        let body = ''
        res.on('data', (chunk) => (body += chunk))
        res.on('end', () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(body) }))
      },
    )
    req.on('error', reject)
    req.end()
  })
}

describe('agent registration over HTTPS', () => {
  let cloud: RunningCloud
  let ca: Buffer
  let dataDir: string
  before(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'idb-register-'))
    cloud = await startCloud(loadConfig({ env: { IDBRIDGE_DATA_DIR: dataDir, IDBRIDGE_HTTP_PORT: '0' } }))
    ca = readFileSync(cloud.certFile)
  })
  after(() => cloud.close())

  const register = (token: string, dir: string, eventLog: AgentEventLog = new MemoryEventLog()) =>
    registerAgent({ cloudUrl: cloud.url, token, ca: { pem: ca, file: cloud.certFile }, dir, eventLog, host: 'dc01' })

  it('creates a one-hour token, registers, writes a 0600 key file in a 0700 folder and logs 31018', async () => {
    const created = await api(cloud, ca, 'POST', '/api/v1/agents/registration-tokens')
    assert.equal(created.status, 201)
    assert.match(created.json.token, /^idbreg_/)
    const ttl = Date.parse(created.json.expiresAt) - Date.now()
    assert.ok(ttl > 59 * 60_000 && ttl <= 60 * 60_000, `token valid for ${ttl} ms`)

    const dir = path.join(mkdtempSync(path.join(tmpdir(), 'idb-agent-')), 'agent')
    const eventLog = new JsonlEventLog({ dir: path.join(dir, 'events') })
    const registered = await register(created.json.token, dir, eventLog)
    assert.ok(registered.ok, registered.ok ? '' : registered.error.message)
    assert.equal(statSync(keyFilePath(dir)).mode & 0o777, 0o600)
    assert.equal(statSync(dir).mode & 0o777, 0o700)
    const key = await readAgentKeyFile(dir)
    assert.ok(key.ok)
    assert.equal(key.value.agentId, registered.value.agentId)
    assert.equal(key.value.tenantId, cloud.tenant.id)
    assert.match(key.value.identityPrivateKey, /BEGIN PRIVATE KEY/)
    const events = readEvents(path.join(dir, 'events'), { id: 31018 })
    assert.equal(events.length, 1)
    assert.equal(events[0]?.source, 'PasswordResetService')
    assert.doesNotMatch(JSON.stringify(events), /PRIVATE KEY/)

    const stored = await cloud.store.agents.get(registered.value.agentId)
    assert.equal(stored?.identityPublicKey, key.value.identityPublicKey)
    const listed = await api(cloud, ca, 'GET', '/api/v1/agents')
    assert.equal(listed.status, 200)
    const view = listed.json.agents.find((a) => a.id === registered.value.agentId)!
    assert.deepEqual(
      { host: view.host, state: view.state, lastSeen: view.lastSeen, warnings: view.warnings },
      { host: 'dc01', state: 'offline', lastSeen: null, warnings: [] },
    )
    assert.ok(view.version && view.keysCreatedAt)
    const logText = readFileSync(path.join(dataDir, 'logs', 'cloud.log'), 'utf8')
    assert.equal(logText.includes(created.json.token), false, 'the token is never logged')
  })

  it('refuses a used token and an expired token with a clear error', async () => {
    const created = await api(cloud, ca, 'POST', '/api/v1/agents/registration-tokens')
    const first = await register(created.json.token, mkdtempSync(path.join(tmpdir(), 'idb-agent-')))
    assert.ok(first.ok)
    const again = await register(created.json.token, mkdtempSync(path.join(tmpdir(), 'idb-agent-')))
    assert.equal(!again.ok && again.error.code, 'IDB_ERR_AGENT_REGISTRATION_TOKEN')
    assert.match(!again.ok ? String(again.error.detail) : '', /already used/)

    const expired = 'idbreg_expired-token-for-the-test'
    await cloud.store.agents.createRegistrationToken(cloud.tenant.id, digestToken(expired), Date.now() - 1)
    const late = await register(expired, mkdtempSync(path.join(tmpdir(), 'idb-agent-')))
    assert.equal(!late.ok && late.error.code, 'IDB_ERR_AGENT_REGISTRATION_TOKEN')
    assert.match(!late.ok ? String(late.error.detail) : '', /expired/)
  })

  it('refuses to overwrite an existing key file, and an untrusted certificate', async () => {
    const created = await api(cloud, ca, 'POST', '/api/v1/agents/registration-tokens')
    const dir = mkdtempSync(path.join(tmpdir(), 'idb-agent-'))
    assert.ok((await register(created.json.token, dir)).ok)
    const twice = await register('idbreg_whatever', dir)
    assert.equal(!twice.ok && twice.error.code, 'IDB_ERR_AGENT_KEY_FILE')
    const untrusted = await registerAgent({
      cloudUrl: cloud.url,
      token: 'idbreg_whatever',
      dir: mkdtempSync(path.join(tmpdir(), 'idb-agent-')),
      eventLog: new MemoryEventLog(),
    })
    assert.equal(!untrusted.ok && untrusted.error.code, 'IDB_ERR_AGENT_CONNECT')
    assert.match(!untrusted.ok ? String(untrusted.error.detail) : '', /self-signed|certificate/)
  })

  it('warns about keys older than six months', async () => {
    const listed = await cloud.store.agents.list(cloud.tenant.id)
    const agent = listed[0]!
    assert.deepEqual(agentView(agent, agent.keysCreatedAt + KEY_MAX_AGE_MS).warnings, [])
    assert.match(agentView(agent, agent.keysCreatedAt + KEY_MAX_AGE_MS + 1).warnings[0] ?? '', /older than 6 months/)
  })
})
