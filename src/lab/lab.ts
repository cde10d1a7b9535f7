/** @module The lab's programmatic API: up, down, status, reset, and reading a lab's description. */
import { readFile, rm, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { IdbridgeError } from '../errors/idbridge-error.ts'
import { createLabDomain } from './create-lab-domain.ts'
import { withFolderLock } from './folder-lock.ts'
import { type LabInfo, labInfoSchema } from './lab-info.ts'
import { type LabOptions, type ResolvedLabOptions, resolveLabOptions } from './lab-options.ts'
import { type LabPaths, labPaths } from './lab-paths.ts'
import { inspectLabFolder, type LabState } from './lab-state.ts'
import { runningSamba, stopSamba } from './samba-process.ts'
import { assertPortsFree, startLab } from './start-lab.ts'
import { waitForLdaps } from './wait-for-ldaps.ts'

export type LabStatus =
  | { readonly state: 'absent' | 'half-provisioned' | 'foreign'; readonly dir: string; readonly detail?: string }
  | { readonly state: 'stopped' | 'running'; readonly dir: string; readonly info: LabInfo }

/**
 * Brings a lab up: provisions (or copies a cached domain) when the folder is empty, starts samba
 * when it is stopped, and returns the running lab as it is when it already runs.
 *
 * @example
 * const lab = await labUp({ address: '127.0.0.12', dir: 'var/test-lab' })
 */
export async function labUp(options: LabOptions = {}): Promise<LabInfo> {
  const resolved = resolveLabOptions(options)
  const paths = labPaths(resolved.dir)
  return withFolderLock(paths.lock, () => upLocked(paths, resolved, options))
}

/** Stops every process of the lab by PID and keeps the domain for the next `up`. Returns the PIDs. */
export async function labDown(options: Pick<LabOptions, 'dir'> = {}): Promise<number[]> {
  const paths = labPaths(resolveLabOptions(options).dir)
  return withFolderLock(paths.lock, async () => {
    const stopped = await stopSamba(paths)
    const info = await readLabInfo(paths.info).catch(() => null)
    if (info?.pid) await writeInfo(paths, { ...info, pid: null })
    return stopped
  })
}

/** Throws the lab away (stopping it first) and brings up a fresh one with `options`. */
export async function labReset(options: LabOptions = {}): Promise<LabInfo> {
  const resolved = resolveLabOptions(options)
  const paths = labPaths(resolved.dir)
  return withFolderLock(paths.lock, async () => {
    const folder = await inspectLabFolder(paths)
    // Never delete a folder this code did not make: --dir could point anywhere.
    if (folder.kind === 'foreign') throw new IdbridgeError('IDB_ERR_LAB_FOLDER_NOT_A_LAB', { detail: folder.reason })
    await stopSamba(paths)
    await rm(paths.dir, { recursive: true, force: true })
    return upLocked(paths, resolved, {})
  })
}

/** What the folder holds and whether its samba runs and answers LDAPS. */
export async function labStatus(options: Pick<LabOptions, 'dir'> = {}): Promise<LabStatus> {
  const paths = labPaths(resolveLabOptions(options).dir)
  const folder = await inspectLabFolder(paths)
  if (folder.kind === 'absent') return { state: 'absent', dir: paths.dir }
  if (folder.kind === 'foreign') return { state: 'foreign', dir: paths.dir, detail: folder.reason }
  const info = folder.kind === 'provisioned' ? await readLabInfo(paths.info).catch(() => null) : null
  if (!info) return { state: 'half-provisioned', dir: paths.dir }
  const running = await runningSamba(paths)
  if (!running) return { state: 'stopped', dir: paths.dir, info: { ...info, pid: null } }
  return { state: 'running', dir: paths.dir, info: { ...info, pid: running.pid } }
}

/**
 * Reads and validates a lab description: a lab.json path, a lab folder, or the JSON printed by
 * `lab up --json` (as scripts/test.sh stores it for IDBRIDGE_TEST_LAB).
 *
 * @example
 * const lab = await readLabInfo(process.env.IDBRIDGE_TEST_LAB!)
 */
export async function readLabInfo(path: string): Promise<LabInfo> {
  const file = (await stat(path).catch(() => null))?.isDirectory() ? join(path, 'lab.json') : path
  const raw = await readFile(file, 'utf8').catch(() => null)
  if (raw === null) throw new IdbridgeError('IDB_ERR_LAB_NOT_FOUND', { detail: `${file} does not exist` })
  return labInfoSchema.parse(JSON.parse(raw))
}

async function upLocked(paths: LabPaths, options: ResolvedLabOptions, asked: LabOptions): Promise<LabInfo> {
  const folder = await inspectLabFolder(paths)
  if (folder.kind === 'foreign') throw new IdbridgeError('IDB_ERR_LAB_FOLDER_NOT_A_LAB', { detail: folder.reason })
  if (folder.kind === 'half') throw new IdbridgeError('IDB_ERR_LAB_HALF_PROVISIONED', { detail: paths.dir })
  if (folder.kind === 'absent') {
    // Checked again right before samba starts; this early check spares a provision that cannot start.
    await assertPortsFree(options.address)
    const { seed, cacheKey } = await createLabDomain(paths, options)
    const state: LabState = {
      phase: 'seeded',
      address: options.address,
      users: options.users,
      minPasswordAgeDays: options.minPasswordAgeDays,
      cacheKey,
    }
    return startLab(paths, seed, state, options)
  }
  const state = folder.state
  assertSameOptions(state, asked)
  const info = await readLabInfo(paths.info).catch(() => null)
  if (!info) throw new IdbridgeError('IDB_ERR_LAB_HALF_PROVISIONED', { detail: `${paths.info} is missing or invalid` })
  const running = await runningSamba(paths)
  if (running) {
    // Up on a running lab starts nothing: it only proves the lab still answers.
    await waitForLdaps(paths, running.pid, info, info.admin, options.startTimeoutMs)
    return { ...info, pid: running.pid }
  }
  // A dead samba can leave children behind; clear them before starting a new one.
  await stopSamba(paths)
  return startLab(paths, info, state, options)
}

function assertSameOptions(state: LabState, asked: LabOptions): void {
  const differences: string[] = []
  if (asked.address !== undefined && asked.address !== state.address) differences.push(`address ${state.address}`)
  if (asked.users !== undefined && asked.users !== state.users) differences.push(`users ${state.users}`)
  if (asked.minPasswordAgeOneDay !== undefined && (asked.minPasswordAgeOneDay ? 1 : 0) !== state.minPasswordAgeDays) {
    differences.push(`min password age ${state.minPasswordAgeDays} days`)
  }
  if (differences.length > 0) {
    throw new IdbridgeError('IDB_ERR_LAB_OPTIONS_MISMATCH', { detail: `the lab has ${differences.join(', ')}` })
  }
}

async function writeInfo(paths: LabPaths, info: LabInfo): Promise<void> {
  await writeFile(paths.info, `${JSON.stringify(info, null, 2)}\n`, { mode: 0o600 })
}
