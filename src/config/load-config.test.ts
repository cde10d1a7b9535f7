import assert from 'node:assert/strict'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { describe, it } from 'node:test'
import { IdbridgeError } from '../errors/idbridge-error.ts'
import { loadConfig } from './load-config.ts'

describe('loadConfig', () => {
  it('serves loopback only by default', () => {
    const { config } = loadConfig({ env: {} })
    assert.equal(config.http.host, '127.0.0.1')
    assert.equal(config.tenant.name, 'contoso')
  })

  it('applies environment overrides over the file', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'idb-config-'))
    const file = path.join(dir, 'c.json')
    writeFileSync(file, JSON.stringify({ http: { port: 9000 } }))
    const { config } = loadConfig({ file, env: { IDBRIDGE_HTTP_PORT: '9443', DATABASE_URL: 'postgres://x@h/db' } })
    assert.equal(config.http.port, 9443)
    assert.equal(config.database.url, 'postgres://x@h/db')
  })

  it('names the bad key, where it came from and the expected form', () => {
    assert.throws(
      () => loadConfig({ env: { IDBRIDGE_HTTP_PORT: 'eighty' } }),
      (error: unknown) =>
        IdbridgeError.is(error) &&
        error.code === 'IDB_ERR_CONFIG_INVALID' &&
        /http\.port \(from IDBRIDGE_HTTP_PORT\)/.test(error.detail ?? '') &&
        /number/.test(error.detail ?? ''),
    )
  })

  it('refuses unknown keys and a half TLS configuration', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'idb-config-'))
    const file = path.join(dir, 'c.json')
    writeFileSync(file, JSON.stringify({ htp: {} }))
    assert.throws(() => loadConfig({ file, env: {} }), /htp/)
    writeFileSync(file, JSON.stringify({ http: { tls: { certFile: 'a.pem' } } }))
    assert.throws(() => loadConfig({ file, env: {} }), /http\.tls.*both certFile and keyFile/)
  })

  it('refuses a file that is not JSON', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'idb-config-'))
    const file = path.join(dir, 'c.json')
    writeFileSync(file, '{ port: 1')
    assert.throws(() => loadConfig({ file, env: {} }), /not valid JSON/)
  })
})
