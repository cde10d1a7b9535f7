import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { describe, it } from 'node:test'
import { promisify } from 'node:util'
import { openDatabase } from './open-database.ts'

const run = promisify(execFile)

describe('embedded store lock', () => {
  it('makes a second process opening the same file fail with a clear message', async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'idb-lock-')), 'idbridge.db')
    const first = await openDatabase({ kind: 'sqlite', file })
    const script = `
      import { openDatabase } from ${JSON.stringify(path.resolve('src/store/open-database.ts'))}
      try { await openDatabase({ kind: 'sqlite', file: ${JSON.stringify(file)} }); console.log('OPENED') }
      catch (e) { console.log(e.code + ' ' + e.detail) }`
    const { stdout } = await run(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script])
    assert.match(stdout, /^IDB_ERR_STORE_LOCKED .*idbridge\.db is locked by another idbridge process/)
    await first.db.destroy()
    const { stdout: again } = await run(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script])
    assert.match(again, /OPENED/, 'the lock goes with the process that held it')
  })

  it('reports an unreachable PostgreSQL as unavailable, naming it without the password', async () => {
    await assert.rejects(
      openDatabase({ kind: 'postgres', url: 'postgres://u:secret@127.0.0.1:1/db' }),
      (error: Error & { code?: string; detail?: string }) => {
        assert.equal(error.code, 'IDB_ERR_STORE_UNAVAILABLE')
        assert.match(error.detail ?? '', /127\.0\.0\.1:1/)
        assert.doesNotMatch(error.detail ?? '', /secret/)
        return true
      },
    )
  })
})

describe('PostgreSQL schemas side by side', () => {
  it('migrates a schema of its own while another idbridge schema exists on the same database', async () => {
    const { testDatabaseUrl } = await import('./store-test-backends.ts')
    const pg = (await import('pg')).default
    const schemas = ['idb_side_a', 'idb_side_b'].map((s) => `${s}_${process.pid}`)
    const admin = async (query: string) => {
      const client = new pg.Client({ connectionString: testDatabaseUrl })
      await client.connect()
      await client.query(query).finally(() => client.end())
    }
    try {
      for (const schema of schemas) await admin(`create schema ${schema}`)
      // The first schema's kysely_migration tables used to pass for the second's, which then failed.
      for (const schema of schemas) {
        const opened = await openDatabase({ kind: 'postgres', url: testDatabaseUrl, schema })
        const tables = await opened.db.introspection.getTables()
        await opened.db.destroy()
        assert.ok(tables.some((t) => t.schema === schema && t.name === 'users'), `${schema} got its tables`)
      }
    } finally {
      for (const schema of schemas) await admin(`drop schema if exists ${schema} cascade`)
    }
  })
})
