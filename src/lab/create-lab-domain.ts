/** @module Makes the domain of a new lab: from the cache when it can, otherwise provisioned and seeded. */
import { mkdir, writeFile } from 'node:fs/promises'
import { addBulkUsers } from './bulk-users.ts'
import { ensureSamba } from './ensure-samba.ts'
import { labCacheKey, restoreCachedDomain, saveCachedDomain } from './lab-cache.ts'
import type { LabSeed } from './lab-info.ts'
import type { ResolvedLabOptions } from './lab-options.ts'
import type { LabPaths } from './lab-paths.ts'
import { labMarker, writeLabState } from './lab-state.ts'
import { provisionDomain, writeLabSmbConf } from './provision-domain.ts'
import { seedDirectory } from './seed-directory.ts'
import { buildSeedPlan } from './seed-plan.ts'

export const labRealm = 'CONTOSO.TEST'
export const labNetbiosDomain = 'CONTOSO'

/**
 * Fills an absent lab folder with a seeded, never-started domain. The state file says
 * `provisioning` until the very end, so an interruption is recognised as half-provisioned.
 *
 * @example
 * const { seed, cacheKey } = await createLabDomain(paths, resolveLabOptions({ users: 1000 }))
 */
export async function createLabDomain(
  paths: LabPaths,
  options: ResolvedLabOptions,
): Promise<{ seed: LabSeed; cacheKey: string }> {
  const sambaVersion = await ensureSamba()
  const cacheKey = labCacheKey({
    realm: labRealm,
    users: options.users,
    minPasswordAgeDays: options.minPasswordAgeDays,
    sambaVersion,
  })
  // Not 0700: smbd serves sysvol as the logged-on user's uid, which must traverse the folder.
  await mkdir(paths.dir, { recursive: true, mode: 0o755 })
  await writeFile(paths.marker, labMarker)
  const state = {
    address: options.address,
    users: options.users,
    minPasswordAgeDays: options.minPasswordAgeDays,
    cacheKey,
  }
  await writeLabState(paths, { phase: 'provisioning', ...state })
  const names = { realm: labRealm, netbiosDomain: labNetbiosDomain, dnsDomain: labRealm.toLowerCase() }

  let seed = options.cacheDir ? await restoreCachedDomain(options.cacheDir, cacheKey, paths) : null
  if (seed) {
    options.log(`Copied the cached domain ${cacheKey}`)
    await writeLabSmbConf(paths, names, options.address)
  } else {
    let started = Date.now()
    await provisionDomain(paths, names, options.address)
    options.log(`Provisioned ${labRealm} in ${seconds(started)}`)
    started = Date.now()
    seed = buildSeedPlan({
      realm: labRealm,
      netbiosDomain: labNetbiosDomain,
      minPasswordAgeDays: options.minPasswordAgeDays,
      bulkUsers: options.users,
    })
    await seedDirectory(paths, seed)
    options.log(`Seeded ${seed.users.length} users, connectors and ACLs in ${seconds(started)}`)
    if (options.users > 0) {
      started = Date.now()
      let last = 0
      await addBulkUsers(paths, seed, (done, total) => {
        if (done - last >= 2000 || done === total) {
          last = done
          options.log(`Bulk users ${done}/${total} (${Math.round(done / ((Date.now() - started) / 1000))}/s)`)
        }
      })
    }
    if (options.cacheDir) {
      await mkdir(options.cacheDir, { recursive: true, mode: 0o700 })
      await saveCachedDomain(options.cacheDir, cacheKey, paths, seed)
    }
  }
  await writeLabState(paths, { phase: 'seeded', ...state })
  return { seed, cacheKey }
}

function seconds(since: number): string {
  return `${((Date.now() - since) / 1000).toFixed(1)} s`
}
