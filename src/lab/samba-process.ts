/** @module Starts the lab's samba as a tracked, detached process and stops it by PID. */
import { spawn } from 'node:child_process'
import { closeSync, openSync } from 'node:fs'
import { readFile, rm, writeFile } from 'node:fs/promises'
import { IdbridgeError } from '../errors/idbridge-error.ts'
import type { LabPaths } from './lab-paths.ts'
import { findLabProcesses, readProcess } from './process-tree.ts'

export interface SambaPid {
  readonly pid: number
  readonly startTicks: number
}

// winbindd's socket path (/run/samba/winbindd) is compiled in, and smbd finds winbindd only there.
// A private mount namespace gives each lab its own /run/samba, so two labs never share a winbindd.
const launcher = 'mkdir -p /run/samba && mount --bind "$0" /run/samba && exec samba -F -s "$1"'

/**
 * Starts samba in the foreground mode, detached into its own session, logging to the lab folder.
 * The PID file holds the pid and its start time, so a reused pid is never mistaken for samba.
 *
 * @example
 * const { pid } = await startSamba(labPaths('var/lab'))
 */
export async function startSamba(paths: LabPaths): Promise<SambaPid> {
  const out = openSync(paths.sambaStdout, 'a')
  try {
    const child = spawn(
      'unshare',
      ['--mount', '--propagation', 'private', '--', 'sh', '-c', launcher, paths.runSamba, paths.smbConf],
      {
        cwd: paths.domain,
        detached: true,
        stdio: ['ignore', out, out],
      },
    )
    child.unref()
    const pid = child.pid
    if (pid === undefined)
      throw new IdbridgeError('IDB_ERR_LAB_START_FAILED', { detail: 'unshare could not be started' })
    const entry = await readProcess(pid)
    const record: SambaPid = { pid, startTicks: entry?.startTicks ?? 0 }
    await writeFile(paths.pidFile, `${JSON.stringify(record)}\n`)
    return record
  } finally {
    closeSync(out)
  }
}

/** The running samba of this lab, or null: a stale pid file (dead or reused pid) counts as not running. */
export async function runningSamba(paths: LabPaths): Promise<SambaPid | null> {
  const record = await readPidFile(paths)
  if (!record) return null
  const entry = await readProcess(record.pid)
  if (!entry || entry.startTicks !== record.startTicks) return null
  return record
}

/**
 * Stops samba and everything it started: SIGTERM to the master, then SIGKILL by PID to whatever
 * of this lab is still alive. Throws when a process survives both.
 *
 * @example
 * const stopped = await stopSamba(paths) // [1234, 1240, …]
 */
export async function stopSamba(paths: LabPaths): Promise<number[]> {
  const master = await runningSamba(paths)
  // Even when the master is gone, its orphaned children still carry its session id.
  const session = (await readPidFile(paths))?.pid ?? null
  const initial = await findLabProcesses(session, paths.smbConf)
  const all = new Set(initial.map((p) => p.pid))
  if (master) signal(master.pid, 'SIGTERM')
  else for (const pid of all) signal(pid, 'SIGTERM')
  let left = await waitForExit(session, paths, 10_000)
  for (const p of left) all.add(p)
  if (left.length > 0) {
    for (const pid of left) signal(pid, 'SIGKILL')
    left = await waitForExit(session, paths, 3_000)
  }
  if (left.length > 0)
    throw new IdbridgeError('IDB_ERR_LAB_STOP_FAILED', { detail: `still running: ${left.join(' ')}` })
  await rm(paths.pidFile, { force: true })
  return [...all].sort((a, b) => a - b)
}

async function readPidFile(paths: LabPaths): Promise<SambaPid | null> {
  try {
    return JSON.parse(await readFile(paths.pidFile, 'utf8')) as SambaPid
  } catch {
    return null
  }
}

async function waitForExit(sessionPid: number | null, paths: LabPaths, timeoutMs: number): Promise<number[]> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const left = (await findLabProcesses(sessionPid, paths.smbConf)).map((p) => p.pid)
    if (left.length === 0 || Date.now() > deadline) return left
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name)
  } catch {
    // Already gone between the scan and the signal.
  }
}
