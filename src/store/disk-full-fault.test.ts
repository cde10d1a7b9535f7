/** @module Fault: the embedded SQLite store's disk fills up, then space returns. */
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { after, before, describe, it } from 'node:test'
import SqliteDatabase from 'better-sqlite3'
import { callCloud } from '../cloud/https-test-client.ts'
import { enableSspr } from '../cloud/sspr/sspr-test-support.ts'
import { type RunningCloud, startCloud } from '../cloud/start-cloud.ts'
import { createTestCloud, type TestCloud } from '../cloud/web/test-cloud-app.ts'
import { loadConfig } from '../config/load-config.ts'
import { openStore } from './kysely-store.ts'
import { mountTinyTmpfs, type TinyTmpfs } from './tiny-tmpfs.ts'

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User'
const newUser = (n: number) => ({
  schemas: [USER],
  userName: `full-${n}@contoso.test`,
  name: { givenName: 'Dee', familyName: `Full ${n}` },
  displayName: `Dee Full ${n}`.padEnd(200, '.'),
  active: true,
})

describe('the embedded store on a full disk', () => {
  let disk: TinyTmpfs
  let cloud: TestCloud | undefined
  const file = () => path.join(disk.dir, 'idbridge.db')

  before(async () => {
    disk = await mountTinyTmpfs(4 * 1024 * 1024)
    cloud = await createTestCloud({
      name: 'sqlite',
      async open(clock) {
        const store = await openStore({ kind: 'sqlite', file: file() }, clock)
        return { store, dispose: () => store.close() }
      },
    })
  })

  after(async () => {
    await disk?.free()
    await cloud?.dispose()
    await disk?.unmount()
  })

  const create = (n: number) => cloud!.api('/scim/v2/Users', { method: 'POST', json: newUser(n) })
  const count = async () => (await cloud!.store.users.list(cloud!.tenant.id, { offset: 0, limit: 1 })).total

  it('refuses writes with IDB_ERR_STORE_FULL, keeps reads, writes nothing by halves, and recovers', { timeout: 60_000 }, async () => {
    const t = cloud!
    assert.equal((await create(0)).status, 201)
    await enableSspr(t)
    await disk.fill()
    // The WAL may still have room for a few pages: write until the disk says no.
    let refused: Response | undefined
    let n = 1
    for (; n <= 200 && !refused; n++) {
      const res = await create(n)
      if (res.status !== 201) refused = res
    }
    assert.ok(refused, 'a write failed once the disk was full')
    const failedUser = n - 1
    const body = (await refused.json()) as { detail: string; code: string; status: string }
    assert.deepEqual([refused.status, body.code], [507, 'IDB_ERR_STORE_FULL'])
    assert.equal(body.detail, 'The service cannot save changes right now. Try again later.')
    assert.match(t.logs(), /"code":"IDB_ERR_STORE_FULL".*"code":"SQLITE_FULL"/, 'the cause is logged for the operator')
    const html = await t.app.request('https://idbridge.test/t/contoso/sspr')
    assert.equal(html.status, 507, 'the reset portal, which stores a flow first, shows the same code on its page')
    assert.match(await html.text(), /IDB_ERR_STORE_FULL/)
    const usersWhileFull = await count()
    assert.equal((await t.api('/scim/v2/Users?count=1')).status, 200, 'reads still work')

    await disk.free()
    assert.equal((await create(1000)).status, 201, 'the next write works once space returns')
    assert.equal(await count(), usersWhileFull + 1)
    const filter = encodeURIComponent(`userName eq "full-${failedUser}@contoso.test"`)
    const failed = await t.api(`/scim/v2/Users?filter=${filter}`)
    assert.equal(((await failed.json()) as { totalResults: number }).totalResults, 0, 'the refused user was not half-created')
    const audit = await t.store.audit.list(t.tenant.id, { limit: 1000 })
    assert.equal(audit.filter((e) => e.target === `full-${failedUser}@contoso.test`).length, 0, 'nor audited')

    cloud = undefined
    await t.dispose()
    const check = new SqliteDatabase(file(), { readonly: true })
    try {
      assert.equal(check.pragma('integrity_check', { simple: true }), 'ok')
    } finally {
      check.close()
    }
  })

  it('keeps the tenant service up with its whole dataDir on the full disk, and it recovers', { timeout: 60_000 }, async () => {
    const dataDir = path.join(disk.dir, 'tenant')
    let cloud: RunningCloud | undefined
    try {
      cloud = await startCloud(loadConfig({ env: { IDBRIDGE_DATA_DIR: dataDir, IDBRIDGE_HTTP_PORT: '0' } }))
      const headers = { authorization: `Bearer ${cloud.created!.firstAdmin.apiToken}`, 'content-type': 'application/json' }
      const create = (n: number) =>
        callCloud(cloud!, '/scim/v2/Users', { method: 'POST', headers, body: JSON.stringify(newUser(5000 + n)) })
      await disk.fill()
      let refused: number | undefined
      for (let n = 0; n < 200 && refused === undefined; n++) {
        const { status } = await create(n)
        if (status !== 201) refused = status
      }
      assert.equal(refused, 507)
      // The request log cannot grow either (each request logs a line, and a page is 4 KiB): the
      // service must shrug that off, not die of it.
      for (let i = 0; i < 60; i++) assert.equal((await callCloud(cloud, '/healthz')).status, 200)
      await new Promise((resolve) => setTimeout(resolve, 200))
      assert.equal((await callCloud(cloud, '/healthz')).status, 200, 'still serving while the disk is full')

      await disk.free()
      assert.equal((await create(999)).status, 201)
      await new Promise((resolve) => setTimeout(resolve, 200))
      const log = readFileSync(path.join(dataDir, 'logs', 'cloud.log'), 'utf8')
      assert.match(log.split('\n').filter(Boolean).at(-1)!, /"path":"\/scim\/v2\/Users","status":201/, 'logging resumed')
    } finally {
      // Space first: a service stuck on a full disk can only finish once it has room again.
      await disk.free()
      await cloud?.close()
    }
  })
})
