/** @module Applies LDIF to a lab's local sam.ldb with Samba's own module stack, secrets in a 0600 file. */
import { randomBytes } from 'node:crypto'
import { mkdir, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { runCommand } from './run-command.ts'

/**
 * Runs ldbadd or ldbmodify on the local database. LDIF with passwords exists only for the
 * duration of the call, readable by its owner alone, and is deleted even when the tool fails.
 *
 * @example
 * await applyLdif({ samLdb, tmpDir }, 'ldbmodify', ldifModify(dn, [unicodePwdLine(pw)]))
 */
export async function applyLdif(
  target: { readonly samLdb: string; readonly tmpDir: string },
  tool: 'ldbadd' | 'ldbmodify',
  ldif: string,
): Promise<void> {
  if (ldif.trim() === '') return
  await mkdir(target.tmpDir, { recursive: true, mode: 0o700 })
  const file = join(target.tmpDir, `${tool}-${randomBytes(6).toString('hex')}.ldif`)
  await writeFile(file, ldif, { mode: 0o600, flag: 'wx' })
  try {
    await runCommand(tool, ['-H', target.samLdb, file], { timeoutMs: 30 * 60_000 })
  } finally {
    await rm(file, { force: true })
  }
}
