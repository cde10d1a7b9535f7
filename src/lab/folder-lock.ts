/** @module A lock file beside the lab folder, so two lab commands never work on one folder at once. */
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import { IdbridgeError } from '../errors/idbridge-error.ts'
import { readProcess } from './process-tree.ts'

/**
 * Runs `work` holding `<dir>.lock`. A lock left by a dead process is taken over, never waited for.
 *
 * @example
 * await withFolderLock(paths.lock, () => startLab(paths))
 */
export async function withFolderLock<T>(lockFile: string, work: () => Promise<T>): Promise<T> {
  await mkdir(dirname(lockFile), { recursive: true })
  for (let attempt = 0; ; attempt++) {
    try {
      await writeFile(lockFile, `${process.pid}\n`, { flag: 'wx' })
      break
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 0) throw busy(lockFile, error)
      const holder = Number((await readFile(lockFile, 'utf8').catch(() => '')).trim())
      if (holder > 0 && (await readProcess(holder))) throw busy(lockFile, `held by pid ${holder}`)
      await rm(lockFile, { force: true })
    }
  }
  try {
    return await work()
  } finally {
    await rm(lockFile, { force: true })
  }
}

function busy(lockFile: string, cause: unknown): IdbridgeError {
  return new IdbridgeError('IDB_ERR_LAB_BUSY', {
    detail: `${lockFile}: ${cause instanceof Error ? cause.message : String(cause)}`,
  })
}
