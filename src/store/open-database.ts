/** @module Opens the store's database: an embedded SQLite file, or PostgreSQL for several tenant nodes. */
import { mkdirSync } from 'node:fs'
import path from 'node:path'
import SqliteDatabase from 'better-sqlite3'
import { Kysely, PostgresDialect, SqliteDialect, type SqliteDialectConfig } from 'kysely'
import pg from 'pg'
import { IdbridgeError } from '../errors/idbridge-error.ts'
import type { Database } from './database-schema.ts'
import { migrateToLatest } from './migrations.ts'

export type DatabaseTarget =
  | { readonly kind: 'sqlite'; readonly file: string }
  | { readonly kind: 'postgres'; readonly url: string; readonly schema?: string }

export interface OpenedDatabase {
  readonly db: Kysely<Database>
  readonly target: DatabaseTarget
  /** A description safe to log: never includes a password. */
  readonly label: string
}

/** Opens, locks (SQLite) and migrates. Operational failures come back as IdbridgeError. */
export async function openDatabase(target: DatabaseTarget): Promise<OpenedDatabase> {
  const db = target.kind === 'sqlite' ? openSqlite(target.file) : openPostgres(target.url, target.schema)
  const label = target.kind === 'sqlite' ? `sqlite:${target.file}` : `postgres:${redactUrl(target.url)}`
  try {
    await migrateToLatest(db)
  } catch (error) {
    await db.destroy().catch(() => {})
    if (IdbridgeError.is(error) && isConnectionError(error.cause)) {
      throw new IdbridgeError('IDB_ERR_STORE_UNAVAILABLE', { detail: `cannot reach ${label}`, cause: error.cause })
    }
    throw error
  }
  return { db, target, label }
}

function openSqlite(file: string): Kysely<Database> {
  if (file !== ':memory:') mkdirSync(path.dirname(file), { recursive: true })
  let database: SqliteDatabase.Database
  try {
    database = new SqliteDatabase(file, { timeout: 0 })
    // An exclusive lock held for the process's lifetime: a second process fails at once instead of
    // two writers corrupting each other. The OS drops the lock if this process dies.
    database.pragma('locking_mode = EXCLUSIVE')
    database.pragma('journal_mode = WAL')
    database.pragma('foreign_keys = ON')
    database.pragma('synchronous = NORMAL')
    database.exec('BEGIN EXCLUSIVE; COMMIT')
  } catch (cause) {
    if ((cause as { code?: string }).code?.startsWith('SQLITE_BUSY')) {
      throw new IdbridgeError('IDB_ERR_STORE_LOCKED', {
        detail: `${file} is locked by another idbridge process`,
        cause,
      })
    }
    throw new IdbridgeError('IDB_ERR_STORE_UNAVAILABLE', { detail: `cannot open ${file}`, cause })
  }
  return new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(database) }) })
}

/** Statements kept per connection; well above the distinct queries the service runs. */
const statementCacheSize = 500

/**
 * Kysely prepares every query afresh, and compiling a statement cost SQLite more than running it:
 * 10% of a directory sync's tenant time went to preparing 200-row INSERTs. This keeps the most
 * recently used statements by SQL text. A statement still being iterated (a stream that was not
 * finished) is busy and cannot run again, so a fresh one is prepared for that call.
 */
function withStatementCache(database: SqliteDatabase.Database): SqliteDialectConfig['database'] {
  const cache = new Map<string, SqliteDatabase.Statement>()
  return {
    close: () => database.close(),
    prepare(text: string) {
      const cached = cache.get(text)
      if (cached && !cached.busy) {
        // Re-inserted so that Map order is least recently used first.
        cache.delete(text)
        cache.set(text, cached)
        return cached
      }
      const statement = database.prepare(text)
      if (cached) return statement
      cache.set(text, statement)
      if (cache.size > statementCacheSize) cache.delete(cache.keys().next().value!)
      return statement
    },
  }
}

function openPostgres(url: string, schema: string | undefined): Kysely<Database> {
  if (schema !== undefined && !/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new Error(`bad schema name ${schema}`)
  const pool = new pg.Pool({
    connectionString: url,
    max: 10,
    connectionTimeoutMillis: 5000,
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
    // Times are epoch ms in bigint columns; they fit a JS number, and the store speaks numbers.
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        oid === 20
          ? (value: string) => Number(value)
          : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
    },
  })
  // An idle client's error (the server restarted) must not crash the process; the pool replaces it.
  pool.on('error', () => {})
  // The pool listens for errors only on idle clients: one checked out (mid-transaction, say) when
  // the server goes away would emit an unhandled 'error' and kill the process. Its query fails
  // anyway, which is where the caller learns of it, and the pool drops it on release.
  pool.on('connect', (client) => client.on('error', () => {}))
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) })
}

function redactUrl(url: string): string {
  try {
    const u = new URL(url)
    if (u.password) u.password = '***'
    return u.toString()
  } catch {
    return 'postgres:(unparseable url)'
  }
}

function isConnectionError(cause: unknown): boolean {
  const code = (cause as { code?: string } | undefined)?.code
  return code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'ETIMEDOUT' || code === '3D000' || code === '28P01'
}
