/** @module The outcome rules of an update guarded by a record version, shared by users and groups. */
import { IdbridgeError, type Result } from '../errors/idbridge-error.ts'
import { isUniqueViolation } from './unique-violation.ts'

/**
 * Runs the update, then tells apart "gone" (IDB_ERR_NOT_FOUND), "changed meanwhile"
 * (IDB_ERR_PRECONDITION_FAILED) and a taken unique value (the caller's conflict error).
 */
export async function versionedUpdate<T extends { readonly version: number }>(options: {
  readonly what: string
  readonly ifVersion: number | undefined
  readonly update: () => Promise<bigint>
  readonly reread: () => Promise<T | undefined>
  readonly conflict: () => IdbridgeError
}): Promise<Result<T>> {
  let updated: bigint
  try {
    updated = await options.update()
  } catch (error) {
    if (isUniqueViolation(error)) return { ok: false, error: options.conflict() }
    throw error
  }
  const record = await options.reread()
  if (!record) return { ok: false, error: new IdbridgeError('IDB_ERR_NOT_FOUND', { detail: options.what }) }
  if (updated === 0n) {
    return {
      ok: false,
      error: new IdbridgeError('IDB_ERR_PRECONDITION_FAILED', {
        detail: `${options.what} is at version ${record.version}, not ${options.ifVersion}`,
      }),
    }
  }
  return { ok: true, value: record }
}
