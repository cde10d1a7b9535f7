/** @module Test helper: a small tmpfs of its own (root only), to fill up and free again. */
import { execFile } from 'node:child_process'
import { mkdtemp, open, rm, rmdir } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'

const run = promisify(execFile)

/** A mounted tmpfs; `unmount()` must run in cleanup, whatever happened. */
export interface TinyTmpfs {
  readonly dir: string
  /** Writes a filler file until the file system says ENOSPC. */
  fill(): Promise<void>
  /** Deletes the filler: space returns. */
  free(): Promise<void>
  unmount(): Promise<void>
}

/** Fails with the mount error when not root: a skipped disk-full test would prove nothing. */
export async function mountTinyTmpfs(sizeBytes: number): Promise<TinyTmpfs> {
  const dir = await mkdtemp(path.join(tmpdir(), 'idb-full-'))
  try {
    await run('mount', ['-t', 'tmpfs', '-o', `size=${sizeBytes},mode=0700`, 'tmpfs', dir])
  } catch (error) {
    await rmdir(dir)
    throw new Error(`mounting a tmpfs needs root (the disk-full test runs in CI as root): ${String(error)}`)
  }
  const filler = path.join(dir, 'filler')
  return {
    dir,
    async fill() {
      const file = await open(filler, 'a')
      try {
        // Big chunks first, then single pages, so that not even one database page fits.
        for (const size of [64 * 1024, 4096, 512]) {
          const chunk = Buffer.alloc(size, 1)
          for (;;) {
            const written = await file.write(chunk).catch((error: NodeJS.ErrnoException) => {
              if (error.code === 'ENOSPC') return undefined
              throw error
            })
            if (!written || written.bytesWritten < size) break
          }
        }
      } finally {
        await file.close()
      }
    },
    async free() {
      await rm(filler, { force: true })
    },
    async unmount() {
      await run('umount', [dir]).catch(() => run('umount', ['-l', dir]))
      await rmdir(dir)
    },
  }
}
