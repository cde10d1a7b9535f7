/** @module Recognises the database failures that are operational, not bugs: a full disk, a database down or restarting. */
import { IdbridgeError } from '../errors/idbridge-error.ts'

/** PostgreSQL's disk_full, and SQLite's (ENOSPC on the database or its WAL). */
const FULL = new Set(['SQLITE_FULL', '53100'])

/**
 * Server shutting down or starting (57P01–57P03), connection exceptions (class 08), and the
 * socket errors node-postgres passes on as they are. SQLite I/O and lock errors mean the file
 * cannot be used right now.
 */
const UNAVAILABLE = /^(57P0[123]|08\d{3}|ECONNREFUSED|ECONNRESET|EPIPE|ETIMEDOUT|SQLITE_(IOERR|BUSY|CANTOPEN))/

/** node-postgres reports a server that closed the socket, or a pool that waited too long, without a code. */
const PG_GONE = /^(Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection)/

/**
 * The store code for `error`, or undefined for anything else (a bug stays IDB_ERR_INTERNAL). The
 * database's own words stay in `cause`, for the log; the code's safe message is what users see.
 *
 * @example
 * throw storeFault(error) ?? error
 */
export function storeFault(error: unknown): IdbridgeError | undefined {
  if (IdbridgeError.is(error) || !(error instanceof Error)) return undefined
  const code = (error as { code?: unknown }).code
  if (typeof code === 'string' && FULL.has(code)) return new IdbridgeError('IDB_ERR_STORE_FULL', { cause: error })
  if ((typeof code === 'string' && UNAVAILABLE.test(code)) || PG_GONE.test(error.message)) {
    return new IdbridgeError('IDB_ERR_STORE_UNAVAILABLE', { cause: error })
  }
  return undefined
}
