import assert from 'node:assert/strict'
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { request } from 'node:https'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { after, before, describe, it } from 'node:test'
import { loadConfig } from '../config/load-config.ts'
import { callCloud } from './https-test-client.ts'
import { type RunningCloud, startCloud } from './start-cloud.ts'

const KNOWN_PASSWORD = 'Zebra-Crossing-8812!'

const call = (cloud: RunningCloud, _ca: Buffer, pathName: string, init: Parameters<typeof callCloud>[2] = {}) =>
  callCloud(cloud, pathName, init)

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name)
    return statSync(full).isDirectory() ? filesUnder(full) : [full]
  })
}

describe('the tenant service over HTTPS', () => {
  let dataDir: string
  let cloud: RunningCloud
  let ca: Buffer
  before(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'idb-serve-'))
    cloud = await startCloud(
      loadConfig({ env: { IDBRIDGE_DATA_DIR: dataDir, IDBRIDGE_HTTP_PORT: '0', IDBRIDGE_LOG_LEVEL: 'debug' } }),
    )
    ca = readFileSync(cloud.certFile)
  })
  after(() => cloud.close())

  it('creates the default tenant with a first admin on first start', () => {
    assert.equal(cloud.tenant.name, 'contoso')
    assert.ok(cloud.created)
    assert.match(cloud.created.firstAdmin.apiToken, /^idb_/)
    assert.match(cloud.url, /^https:\/\/127\.0\.0\.1:\d+$/)
  })

  it('serves the sign-in page, OpenAPI and SCIM with a self-signed certificate it generated', async () => {
    const page = await call(cloud, ca, '/t/contoso/signin')
    assert.equal(page.status, 200)
    assert.match(page.body, /Sign in/)
    const openapi = await call(cloud, ca, '/openapi.json')
    assert.equal(JSON.parse(openapi.body).openapi, '3.1.0')
    const scim = await call(cloud, ca, '/scim/v2/Users', {
      headers: { authorization: `Bearer ${cloud.created?.firstAdmin.apiToken}` },
    })
    assert.equal(scim.status, 200)
    assert.equal(JSON.parse(scim.body).totalResults, 1)
    await assert.rejects(
      new Promise((resolve, reject) =>
        request(`${cloud.url}/healthz`, (res) => resolve(res.statusCode))
          .on('error', reject)
          .end(),
      ),
      /self-signed|certificate/,
      'a client that does not trust the certificate is refused',
    )
  })

  it('never writes a password it handled to the logs or the database', async () => {
    const token = cloud.created?.firstAdmin.apiToken ?? ''
    const created = await call(cloud, ca, '/scim/v2/Users', {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/scim+json' },
      body: JSON.stringify({ userName: 'known@contoso.test', password: KNOWN_PASSWORD }),
    })
    assert.equal(created.status, 201)
    const page = await call(cloud, ca, '/t/contoso/signin')
    const cookie = String(page.headers['set-cookie']?.[0]).split(';')[0] ?? ''
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? ''
    const form = (password: string) =>
      call(cloud, ca, '/t/contoso/signin', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', cookie, origin: cloud.url },
        body: new URLSearchParams({ _csrf: csrf, username: 'known@contoso.test', password }).toString(),
      })
    const good = await form(KNOWN_PASSWORD)
    assert.equal(good.status, 303, good.body)
    const bad = await form(`${KNOWN_PASSWORD}x`)
    assert.equal(bad.status, 401)
    await cloud.close()
    const needles = [KNOWN_PASSWORD, Buffer.from(KNOWN_PASSWORD, 'utf16le').toString('latin1'), token]
    const files = filesUnder(dataDir)
    assert.ok(
      files.some((f) => f.endsWith('cloud.log')) && files.some((f) => f.endsWith('idbridge.db')),
      files.join(', '),
    )
    const logText = readFileSync(files.find((f) => f.endsWith('cloud.log')) ?? '', 'utf8')
    assert.match(logText, /"path":"\/t\/contoso\/signin"/, 'the log did record the sign-in requests')
    for (const file of files) {
      const content = readFileSync(file).toString('latin1')
      for (const needle of needles) assert.equal(content.includes(needle), false, `${file} holds a secret`)
    }
    // Reopen so after() has something to close.
    cloud = await startCloud(loadConfig({ env: { IDBRIDGE_DATA_DIR: dataDir, IDBRIDGE_HTTP_PORT: '0' } }))
    assert.equal(cloud.created, undefined, 'the second start does not create the tenant again')
  })

  it('refuses a port that is taken with a clear error', async () => {
    const port = new URL(cloud.url).port
    const other = mkdtempSync(path.join(tmpdir(), 'idb-serve-'))
    await assert.rejects(
      startCloud(loadConfig({ env: { IDBRIDGE_DATA_DIR: other, IDBRIDGE_HTTP_PORT: port } })),
      (error: Error & { code?: string; detail?: string }) =>
        error.code === 'IDB_ERR_CONFIG_INVALID' && /EADDRINUSE/.test(error.detail ?? ''),
    )
  })
})
