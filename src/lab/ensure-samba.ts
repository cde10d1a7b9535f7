/** @module Makes sure the Samba packages are there, through the project's one package script. */
import { join } from 'node:path'
import { IdbridgeError } from '../errors/idbridge-error.ts'
import { repoRoot } from './lab-paths.ts'
import { runCommand } from './run-command.ts'

/**
 * Runs scripts/ensure-system-packages.sh, which installs as root or prints the exact apt-get
 * command and fails, then returns the Samba version (part of the domain cache key).
 *
 * @example
 * const version = await ensureSamba() // '4.17.12-Debian'
 */
export async function ensureSamba(): Promise<string> {
  const script = join(repoRoot, 'scripts', 'ensure-system-packages.sh')
  const result = await runCommand('bash', [script, 'start'], { allowFailure: true, timeoutMs: 15 * 60_000 })
  if (result.code !== 0) {
    throw new IdbridgeError('IDB_ERR_LAB_SAMBA_MISSING', { detail: result.stderr.trim() || result.stdout.trim() })
  }
  if (process.getuid?.() !== 0)
    throw new IdbridgeError('IDB_ERR_LAB_NEEDS_ROOT', { detail: `uid ${process.getuid?.()}` })
  const { stdout } = await runCommand('samba', ['--version'])
  return stdout.replace(/^Version\s+/i, '').trim()
}
