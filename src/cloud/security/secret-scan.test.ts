import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { after, before, describe, it } from 'node:test'
import pg from 'pg'
import { collectDoctorBundle } from '../../cli/doctor/collect-doctor-bundle.ts'
import { makeTestAgentDir, type TestAgentDir } from '../../cli/doctor/doctor-test-support.ts'
import { configSchema } from '../../config/config-schema.ts'
import { openStore } from '../../store/kysely-store.ts'
import type { StoreBackend } from '../../store/store-test-backends.ts'
import { testDatabaseUrl } from '../../store/store-test-backends.ts'
import { createTestCloud, type TestCloud } from '../web/test-cloud-app.ts'
import { AgentSideOperations } from './agent-side-operations.ts'
import { fileSources, postgresTableSources, sqliteTableSources } from './scan-sources.ts'
import { runSecretScenario } from './secret-scenario.ts'
import { type KnownSecret, type ScanSource, scanForSecrets, secretForms } from './secret-scanner.ts'

/**
 * After a full scenario with known passwords and tokens, nothing the system leaves behind holds
 * them in any encoding: the log, the database (raw files and every table), the agent's event log
 * and the `idbridge doctor` bundle.
 */

const DB_PASSWORD = 'Doctor-Db-Pass-5150'
const CONNECTOR_PASSWORD = 'Connector-Secret-8642!'

interface ScanBackend {
  readonly name: string
  /** A store of its own in `dataDir` (SQLite) or in a fresh schema (PostgreSQL). */
  backend(dataDir: string): StoreBackend & { tables(): Promise<ScanSource[]>; cleanup(): Promise<void> }
}

const scanBackends: ScanBackend[] = [
  {
    name: 'sqlite',
    backend: (dataDir) => ({
      name: 'sqlite',
      async open(clock) {
        const store = await openStore({ kind: 'sqlite', file: path.join(dataDir, 'idbridge.db') }, clock)
        return { store, dispose: () => store.close() }
      },
      tables: async () => sqliteTableSources(path.join(dataDir, 'idbridge.db')),
      cleanup: async () => {},
    }),
  },
  {
    name: 'postgres',
    backend: () => {
      const schema = `idb_scan_${randomBytes(6).toString('hex')}`
      const admin = async (query: string) => {
        const client = new pg.Client({ connectionString: testDatabaseUrl })
        await client.connect()
        await client.query(query).finally(() => client.end())
      }
      return {
        name: 'postgres',
        async open(clock) {
          await admin(`create schema ${schema}`)
          const store = await openStore({ kind: 'postgres', url: testDatabaseUrl, schema }, clock)
          return { store, dispose: () => store.close() }
        },
        tables: () => postgresTableSources(testDatabaseUrl, schema),
        // Always, even when the scenario failed: a stray schema is noise for every later test.
        cleanup: () => admin(`drop schema if exists ${schema} cascade`),
      }
    },
  },
]

for (const { name, backend: makeBackend } of scanBackends) {
  describe(`secret scan after a full scenario (${name})`, () => {
    const work = mkdtempSync(path.join(tmpdir(), `idb-scan-${name}-`))
    const dataDir = path.join(work, 'data')
    const backend = makeBackend(dataDir)
    let cloud: TestCloud
    let agentDir: TestAgentDir
    let secrets: KnownSecret[]
    let bundleText: string
    const sources: Record<'log' | 'store' | 'agent' | 'bundle', ScanSource[]> = { log: [], store: [], agent: [], bundle: [] }

    before(async () => {
      mkdirSync(dataDir, { recursive: true })
      // The agent side shares the test cloud's manual clock once it exists.
      const clock = { now: () => (cloud ? cloud.clock.now() : Date.UTC(2026, 10, 1)) }
      agentDir = await makeTestAgentDir({ dir: path.join(work, 'agent'), tenantId: 'pending', clock, connectorPassword: CONNECTOR_PASSWORD })
      const agent = new AgentSideOperations({ eventLog: agentDir.events, clock })
      cloud = await createTestCloud(backend, { passwordOperations: agent })
      secrets = await runSecretScenario(cloud, agent)
      const body = (pem: string) => pem.split('\n').filter((l) => l && !l.startsWith('-----')).join('')
      secrets.push(
        { label: 'connector password', value: CONNECTOR_PASSWORD, kind: 'password' },
        { label: 'agent identity private key', value: body(agentDir.keys.identityPrivateKey).slice(8, 48), kind: 'token' },
        { label: 'agent writeback private key', value: body(agentDir.keys.encryptionPrivateKey).slice(100, 160), kind: 'token' },
        { label: 'database password', value: DB_PASSWORD, kind: 'password' },
      )
      // The doctor reads the service log from dataDir, as it would on a real host.
      mkdirSync(path.join(dataDir, 'logs'))
      writeFileSync(path.join(dataDir, 'logs', 'cloud.log'), cloud.logs())
      const config = configSchema.parse({
        dataDir,
        database: { url: `postgres://idbridge:${DB_PASSWORD}@127.0.0.1:5432/idbridge` },
      })
      const bundle = await collectDoctorBundle({
        loaded: { config, dataDir, source: undefined },
        store: { ok: true, value: cloud.store },
        clock: cloud.clock,
        agentDir: agentDir.dir,
        limit: 200,
      })
      bundleText = JSON.stringify(bundle, null, 2)
      await cloud.dispose()
      sources.log = [{ name: 'log', bytes: Buffer.from(cloud.logs()) }]
      sources.store = [...fileSources(dataDir, 'data-dir'), ...(await backend.tables())]
      sources.agent = fileSources(path.join(agentDir.dir, 'events'), 'agent-events')
      sources.bundle = [{ name: 'doctor-bundle', bytes: Buffer.from(bundleText) }]
    })
    after(async () => {
      await backend.cleanup()
      rmSync(work, { recursive: true, force: true })
    })

    it('ran the whole scenario: sign-ins, security info, change, self-service and admin resets, writeback', () => {
      const log = cloud.logs()
      const paths = ['/signin', '/me/security-info/app', '/me/password', '/sspr/password'].map((p) => `/t/contoso${p}`)
      for (const path of [...paths, '/api/v1/agents/registration-tokens']) {
        assert.ok(log.includes(`"path":"${path}"`), path)
      }
      const events = sources.agent.map((s) => s.bytes.toString()).join('')
      for (const id of [31001, 31002, 33008, 31010]) assert.match(events, new RegExp(`"id":${id}\\b`), `agent event ${id}`)
      assert.ok(sources.store.some((s) => s.name.startsWith('store-table:credentials')))
      for (const section of ['auditLog', 'agent', 'config', 'store']) assert.match(bundleText, new RegExp(`"${section}"`))
      assert.ok(secrets.length >= 25, `${secrets.length} secrets`)
    })

    for (const where of ['log', 'store', 'agent', 'bundle'] as const) {
      const what = {
        log: 'the log',
        store: 'the data folder (database files, log file) and any table',
        agent: "the agent's event log",
        bundle: 'the doctor bundle',
      }[where]
      it(`no known secret in ${what}`, async () => {
        assert.ok(sources[where].length > 0, 'something was scanned')
        assert.deepEqual(await scanForSecrets(sources[where], secrets), [])
      })
    }

    it('the scan reads what the store holds: the authenticator secret it must keep is found there', async () => {
      const totp = secrets.find((s) => s.label === 'authenticator secret')!
      const found = await scanForSecrets(sources.store, [{ ...totp, allowedIn: [] }])
      const where = new Set(found.map((l) => l.source))
      assert.ok(where.has('store-table:security_info'), [...where].join(', '))
      if (name === 'sqlite') assert.ok([...where].some((w) => w.startsWith('data-dir:idbridge.db')), 'in the raw file')
    })

    it('the scan itself finds a planted secret in each of its forms', async () => {
      const secret = secrets.find((s) => s.kind === 'password')!
      for (const { form, bytes } of await secretForms(secret)) {
        const planted = Buffer.concat([Buffer.from(bundleText), Buffer.from('\n'), bytes])
        const leaks = await scanForSecrets([{ name: 'planted', bytes: planted }], [secret])
        assert.ok(leaks.some((l) => l.form === form), `${form} not found`)
      }
    })
  })
}
