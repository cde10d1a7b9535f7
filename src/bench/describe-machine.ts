/** @module The machine a bench ran on, for the header line: results only compare on like machines. */
import { execFile } from 'node:child_process'
import os from 'node:os'
import { promisify } from 'node:util'

/**
 * @example
 * await describeMachine() // '2 × Intel Xeon …, 23.4 GiB, Linux 6.1, node v20.19.5, samba 4.17.12-Debian'
 */
export async function describeMachine(): Promise<string> {
  const cpus = os.cpus()
  const samba = await promisify(execFile)('samba', ['--version'], { timeout: 10_000 })
    .then(({ stdout }) => stdout.replace(/^Version\s+/i, '').trim())
    .catch(() => 'not found')
  return [
    `${cpus.length} × ${cpus[0]?.model.trim() ?? 'unknown CPU'}`,
    `${(os.totalmem() / 2 ** 30).toFixed(1)} GiB`,
    `${os.type()} ${os.release()}`,
    `node ${process.version}`,
    `samba ${samba}`,
  ].join(', ')
}
