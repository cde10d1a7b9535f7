/** @module Finds the processes a lab started, from /proc, so `down` can stop exactly those. */
import { readdir, readFile } from 'node:fs/promises'

export interface ProcessEntry {
  readonly pid: number
  readonly ppid: number
  readonly session: number
  /** Clock ticks after boot; with the pid it identifies a process even after pid reuse. */
  readonly startTicks: number
  readonly cmdline: string
}

/** One process from /proc, or null when it is gone. */
export async function readProcess(pid: number): Promise<ProcessEntry | null> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8')
    const cmdline = (await readFile(`/proc/${pid}/cmdline`, 'utf8')).replaceAll('\0', ' ').trim()
    // The command name in parentheses may itself contain spaces and parentheses.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    if (fields[0] === 'Z') return null
    return {
      pid,
      ppid: Number(fields[1]),
      session: Number(fields[3]),
      startTicks: Number(fields[19]),
      cmdline,
    }
  } catch {
    return null
  }
}

/**
 * The lab's processes: samba was started as a session leader, so every process it forks shares
 * its session id even after the master dies; smbd and winbindd start sessions of their own but
 * carry the lab's smb.conf path on their command line. Both are unique to one lab folder.
 *
 * @example
 * const pids = await findLabProcesses(sambaPid, '/work/main/var/lab/domain/etc/smb.conf')
 */
export async function findLabProcesses(sessionPid: number | null, smbConf: string): Promise<ProcessEntry[]> {
  const found: ProcessEntry[] = []
  for (const name of await readdir('/proc')) {
    if (!/^\d+$/.test(name)) continue
    const entry = await readProcess(Number(name))
    if (!entry || entry.pid === process.pid) continue
    // A session id alone could be a reused pid's: require samba's own process titles as well.
    const inSession =
      sessionPid !== null && entry.session === sessionPid && /^(samba|\/usr\/sbin\/samba)\b/.test(entry.cmdline)
    if (inSession || entry.cmdline.includes(smbConf)) found.push(entry)
  }
  return found
}
