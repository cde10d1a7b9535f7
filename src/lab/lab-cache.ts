/** @module A per-machine cache of provisioned, seeded, never-started domains, keyed by what shapes them. */
import { randomBytes } from 'node:crypto'
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { type LabSeed, labSeedSchema } from './lab-info.ts'
import type { LabPaths } from './lab-paths.ts'
import { runCommand } from './run-command.ts'

export interface CacheKeyParts {
  readonly realm: string
  readonly users: number
  readonly minPasswordAgeDays: number
  /** A domain made by one Samba version is not reused by another. */
  readonly sambaVersion: string
}

/** Bump when seeding changes, so old cached domains are not reused. */
const seedVersion = 1

export function labCacheKey(parts: CacheKeyParts): string {
  const samba = parts.sambaVersion.replace(/[^A-Za-z0-9.]+/g, '-')
  return `s${seedVersion}-${parts.realm.toLowerCase()}-u${parts.users}-age${parts.minPasswordAgeDays}-samba${samba}`
}

/**
 * Copies a cached domain into the lab and returns its seed (accounts and passwords), or null
 * when there is none. The copy is taken before samba ever ran, so it is a pristine domain.
 *
 * @example
 * const seed = await restoreCachedDomain('var/lab-cache', key, paths)
 */
export async function restoreCachedDomain(cacheDir: string, key: string, paths: LabPaths): Promise<LabSeed | null> {
  const entry = join(cacheDir, key)
  const raw = await readFile(join(entry, 'seed.json'), 'utf8').catch(() => null)
  if (raw === null || !(await stat(join(entry, 'domain')).catch(() => null))) return null
  const seed = labSeedSchema.safeParse(JSON.parse(raw))
  if (!seed.success) return null
  await rm(paths.domain, { recursive: true, force: true })
  await copyTree(join(entry, 'domain'), paths.domain)
  return seed.data
}

/** Stores a freshly seeded domain; written aside and renamed, so a reader never sees half a copy. */
export async function saveCachedDomain(cacheDir: string, key: string, paths: LabPaths, seed: LabSeed): Promise<void> {
  const entry = join(cacheDir, key)
  const staging = `${entry}.tmp-${randomBytes(4).toString('hex')}`
  await mkdir(staging, { recursive: true, mode: 0o700 })
  try {
    await copyTree(paths.domain, join(staging, 'domain'))
    await writeFile(join(staging, 'seed.json'), `${JSON.stringify(seed, null, 2)}\n`, { mode: 0o600 })
    await rm(entry, { recursive: true, force: true })
    await rename(staging, entry)
  } finally {
    await rm(staging, { recursive: true, force: true })
  }
}

// cp -a, not fs.cp: sysvol's NT ACLs live in xattrs (security.NTACL, POSIX ACLs), which fs.cp drops,
// and without them smbd denies every user access to sysvol and netlogon.
async function copyTree(from: string, to: string): Promise<void> {
  await runCommand('cp', ['-a', from, to], { timeoutMs: 10 * 60_000 })
}
