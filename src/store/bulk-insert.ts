/** @module Multi-row INSERTs whose SQL is compiled once per shape and then reused with new values. */
import { CompiledQuery, type Insertable, type Kysely } from 'kysely'
import type { Database } from './database-schema.ts'

type Table = keyof Database & string

/** What a bulk insert may add after VALUES; each variant is its own cached shape. */
export interface BulkInsertOptions {
  /** ON CONFLICT DO NOTHING: a row that violates a unique constraint is skipped. */
  readonly skipConflicts?: boolean
  /** RETURNING id: the ids of the rows actually inserted. */
  readonly returningId?: boolean
}

/**
 * Kysely builds, freezes and compiles a node for every value of a multi-row INSERT: a quarter of a
 * directory sync batch's tenant time went there (200 users × 22 columns, and their audit rows).
 * The SQL of such an INSERT depends only on the table, the columns, the row count and the options,
 * so it is compiled by Kysely once per shape and dialect and then sent with the next rows' values.
 * The first compile checks that Kysely's parameters are the values row by row, column by column;
 * a shape where they are not (an undefined value becomes DEFAULT) is never cached.
 */
const templates = new WeakMap<object, Map<string, string | null>>()
/** Shapes kept per dialect; a 200-row INSERT's SQL is about 10 KB, and batches repeat a few row counts. */
const maxShapes = 64

/**
 * Inserts `rows` (all with the same keys, in the same order) in one statement.
 *
 * @example
 * const inserted = await bulkInsert(db, 'users', rows, { skipConflicts: true, returningId: true })
 */
export async function bulkInsert<T extends Table>(
  db: Kysely<Database>,
  table: T,
  rows: readonly Insertable<Database[T]>[],
  options: BulkInsertOptions = {},
): Promise<{ id: string }[]> {
  if (rows.length === 0) return []
  const columns = Object.keys(rows[0]!)
  const { values, uniform } = flatten(rows as readonly Record<string, unknown>[], columns)
  const shape = `${table}|${columns.join(',')}|${rows.length}|${options.skipConflicts ? 'skip' : ''}|${options.returningId ? 'id' : ''}`
  // Transactions get their own Kysely instance but share the dialect's adapter.
  const dialect = db.getExecutor().adapter
  let cache = templates.get(dialect)
  if (!cache) templates.set(dialect, (cache = new Map()))
  const sql = cache.get(shape)
  if (sql && uniform) {
    const result = await db.executeQuery<{ id: string }>(CompiledQuery.raw(sql, values))
    return result.rows
  }
  let query = db.insertInto(table).values(rows as Insertable<Database[T]>[])
  if (options.skipConflicts) query = query.onConflict((oc) => oc.doNothing())
  const compiled = options.returningId ? query.returning('id' as never).compile() : query.compile()
  if (sql === undefined) {
    const same =
      uniform &&
      compiled.parameters.length === values.length &&
      compiled.parameters.every((value, i) => value === values[i])
    cache.set(shape, same ? compiled.sql : null)
    if (cache.size > maxShapes) cache.delete(cache.keys().next().value!)
  }
  const result = await db.executeQuery<{ id: string }>(compiled)
  return result.rows
}

/**
 * The values row by row, column by column, and whether every row has exactly these columns, none
 * undefined (a row with another key, or an undefined value, would compile to different SQL).
 */
function flatten(rows: readonly Record<string, unknown>[], columns: readonly string[]) {
  const values: unknown[] = new Array(rows.length * columns.length)
  let uniform = true
  let i = 0
  for (const row of rows) {
    let keys = 0
    for (const _ in row) keys++
    if (keys !== columns.length) uniform = false
    for (const column of columns) {
      const value = row[column]
      if (value === undefined) uniform = false
      values[i++] = value
    }
  }
  return { values, uniform }
}
