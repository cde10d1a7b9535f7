/** @module The backends every storage contract test runs against: SQLite always, PostgreSQL always in CI. */
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import pg from 'pg'
import type { Clock } from '../time/clock.ts'
import { openStore } from './kysely-store.ts'
import type { Store } from './store.ts'

export const testDatabaseUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test'

export interface StoreBackend {
  readonly name: 'sqlite' | 'postgres'
  /** A fresh, empty, migrated store, and a function that throws it away. */
  open(clock?: Clock): Promise<{ store: Store; dispose(): Promise<void> }>
}

export const storeBackends: readonly StoreBackend[] = [
  {
    name: 'sqlite',
    async open(clock) {
      const dir = mkdtempSync(path.join(tmpdir(), 'idb-store-'))
      const store = await openStore({ kind: 'sqlite', file: path.join(dir, 'idbridge.db') }, clock)
      return {
        store,
        async dispose() {
          await store.close()
          rmSync(dir, { recursive: true, force: true })
        },
      }
    },
  },
  {
    name: 'postgres',
    async open(clock) {
      // A schema per test keeps runs apart on the shared server, and dropping it cleans up.
      const schema = `idb_t_${randomBytes(6).toString('hex')}`
      const admin = new pg.Client({ connectionString: testDatabaseUrl })
      await admin.connect()
      await admin.query(`create schema ${schema}`)
      await admin.end()
      const store = await openStore({ kind: 'postgres', url: testDatabaseUrl, schema }, clock)
      return {
        store,
        async dispose() {
          await store.close()
          const c = new pg.Client({ connectionString: testDatabaseUrl })
          await c.connect()
          await c.query(`drop schema ${schema} cascade`)
          await c.end()
        },
      }
    },
  },
]
