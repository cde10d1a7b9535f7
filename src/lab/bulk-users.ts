/** @module Adds the `--users N` benchmark users in batches through the local sam.ldb. */

import type { LabSeed } from './lab-info.ts'
import type { LabPaths } from './lab-paths.ts'
import { applyLdif } from './ldb-apply.ts'
import { ldbSearch } from './ldb-search.ts'
import { ldifAdd, unicodePwdLine } from './ldif.ts'

const batchSize = 500

/** The sAMAccountName of bulk user `i` (1-based), e.g. bench00042. */
export function bulkUsername(seed: LabSeed, i: number): string {
  return `${seed.bulk.usernamePrefix}${String(i).padStart(5, '0')}`
}

/**
 * Adds bulk users bench00001…benchNNNNN that are not there yet. Writes to sam.ldb serialize on
 * its transaction lock and Samba hashes each password (NT, AES keys) on one core, so more
 * writers would not go faster; instead the next batch's LDIF is built while one is applied.
 *
 * @example
 * await addBulkUsers(paths, seed, (done, total) => console.error(`${done}/${total}`))
 */
export async function addBulkUsers(
  paths: LabPaths,
  seed: LabSeed,
  progress: (done: number, total: number) => void = () => {},
): Promise<void> {
  const total = seed.bulk.count
  if (total === 0) return
  const target = { samLdb: paths.samLdb, tmpDir: paths.tmp }
  const ou = seed.bulk.ou
  const siblings = await ldbSearch(paths.samLdb, seed.scope.syncOu, 'one', '(objectClass=organizationalUnit)', ['dn'])
  if (!siblings.some((r) => r.get('dn')?.[0]?.toLowerCase() === ou.toLowerCase()))
    await applyLdif(target, 'ldbmodify', ldifAdd(ou, { objectClass: 'organizationalUnit' }))
  const existing = new Set(
    (await ldbSearch(paths.samLdb, ou, 'one', '(objectClass=user)', ['sAMAccountName'])).map(
      (r) => r.get('sAMAccountName')?.[0] ?? '',
    ),
  )
  const passwordLine = unicodePwdLine(seed.bulk.password)
  const build = (from: number) => {
    let ldif = ''
    for (let i = from; i < Math.min(from + batchSize, total + 1); i++) {
      const username = bulkUsername(seed, i)
      if (existing.has(username)) continue
      const add = ldifAdd(`CN=${username},${ou}`, {
        objectClass: 'user',
        sAMAccountName: username,
        userPrincipalName: `${username}@${seed.dnsDomain}`,
        givenName: 'Bench',
        sn: `User ${i}`,
        displayName: `Bench User ${i}`,
        mail: `${username}@${seed.dnsDomain}`,
        userAccountControl: 512,
      })
      ldif += `${add.trimEnd()}\n${passwordLine}\n\n`
    }
    return ldif
  }
  let next = build(1)
  for (let from = 1; from <= total; from += batchSize) {
    const current = next
    const applying = applyLdif(target, 'ldbmodify', current)
    next = from + batchSize <= total ? build(from + batchSize) : ''
    await applying
    progress(Math.min(from + batchSize - 1, total), total)
  }
}
