/** @module Recognises a unique-constraint failure from either backend. */

export function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code
  // 23505 is PostgreSQL's unique_violation; better-sqlite3 reports SQLite's extended code.
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY'
}
