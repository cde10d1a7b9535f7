/** @module Test support: turns files, an SQLite file and a PostgreSQL schema into sources for the secret scan. */
import { readdirSync, readFileSync, statSync } from 'node:fs'
import path from 'node:path'
import SqliteDatabase from 'better-sqlite3'
import pg from 'pg'
import type { ScanSource } from './secret-scanner.ts'

/** Every file below `dir`, raw: an SQLite file's free pages and WAL keep what a table dump no longer shows. */
export function fileSources(dir: string, label: string): ScanSource[] {
  const out: ScanSource[] = []
  const walk = (at: string) => {
    for (const name of readdirSync(at)) {
      const full = path.join(at, name)
      if (statSync(full).isDirectory()) walk(full)
      else out.push({ name: `${label}:${path.relative(dir, full)}`, bytes: readFileSync(full) })
    }
  }
  walk(dir)
  return out
}

/** Each table as JSON text; the store must be closed first, as it holds the file exclusively. */
export function sqliteTableSources(file: string): ScanSource[] {
  const db = new SqliteDatabase(file, { readonly: true })
  try {
    const tables = db.prepare(`select name from sqlite_master where type = 'table'`).all() as { name: string }[]
    return tables.map(({ name }) => ({
      name: `store-table:${name}`,
      bytes: Buffer.from(JSON.stringify(db.prepare(`select * from "${name}"`).all())),
    }))
  } finally {
    db.close()
  }
}

/** Each table of one PostgreSQL schema as JSON text, bytea columns included as hex. */
export async function postgresTableSources(url: string, schema: string): Promise<ScanSource[]> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    const tables = await client.query<{ table_name: string }>(
      'select table_name from information_schema.tables where table_schema = $1',
      [schema],
    )
    const out: ScanSource[] = []
    for (const { table_name: name } of tables.rows) {
      const rows = await client.query(`select * from "${schema}"."${name}"`)
      out.push({ name: `store-table:${name}`, bytes: Buffer.from(JSON.stringify(rows.rows)) })
    }
    return out
  } finally {
    await client.end()
  }
}
