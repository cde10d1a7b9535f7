/** @module Waits until a freshly started lab accepts an LDAPS bind, or says why it never will. */
import { readFile } from 'node:fs/promises'
import { IdbridgeError } from '../errors/idbridge-error.ts'
import { type LdapsTarget, withLdaps } from './lab-ldap.ts'
import type { LabPaths } from './lab-paths.ts'
import { readProcess } from './process-tree.ts'

/**
 * Polls with a real administrator bind, which proves TLS, the directory and authentication at
 * once. Fails fast when samba exits (a port clash, a broken domain) and never waits past the deadline.
 *
 * @example
 * await waitForLdaps(paths, pid, info, info.admin, 60_000)
 */
export async function waitForLdaps(
  paths: LabPaths,
  pid: number,
  target: LdapsTarget,
  admin: { readonly dn: string; readonly password: string },
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs
  let lastError = 'no attempt yet'
  while (Date.now() < deadline) {
    if (!(await readProcess(pid))) {
      throw new IdbridgeError('IDB_ERR_LAB_START_FAILED', { detail: `samba exited; log:\n${await logTail(paths)}` })
    }
    try {
      await withLdaps(target, admin.dn, admin.password, async () => {}, 2_000)
      return
    } catch (error) {
      lastError = error instanceof Error ? error.message : String(error)
    }
    await new Promise((resolve) => setTimeout(resolve, 250))
  }
  throw new IdbridgeError('IDB_ERR_LAB_START_TIMEOUT', {
    detail: `no LDAPS bind on ${target.ldapUrl} within ${timeoutMs} ms (last error: ${lastError}); log: ${paths.sambaLog}`,
  })
}

async function logTail(paths: LabPaths): Promise<string> {
  const lines: string[] = []
  for (const file of [paths.sambaStdout, paths.sambaLog]) {
    const text = await readFile(file, 'utf8').catch(() => '')
    lines.push(
      ...text
        .split('\n')
        .filter((l) => /error|fail|unable|panic|in use/i.test(l))
        .slice(-8),
    )
  }
  return lines.join('\n') || `(nothing in ${paths.sambaLog})`
}
