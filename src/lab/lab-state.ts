/** @module What a lab folder holds: nothing, someone else's files, a half-made lab or a provisioned one. */
import { readdir, readFile, writeFile } from 'node:fs/promises'
import { z } from 'zod'
import type { LabPaths } from './lab-paths.ts'

export const labMarker = 'idbridge lab v1\n'

const labStateSchema = z.object({
  /** provisioning: unfinished; seeded: domain complete but never started; ready: started and locked out. */
  phase: z.enum(['provisioning', 'seeded', 'ready']),
  address: z.string(),
  users: z.number().int(),
  minPasswordAgeDays: z.union([z.literal(0), z.literal(1)]),
  cacheKey: z.string(),
})

export type LabState = z.infer<typeof labStateSchema>

export type LabFolder =
  | { readonly kind: 'absent' }
  | { readonly kind: 'foreign'; readonly reason: string }
  | { readonly kind: 'half' }
  | { readonly kind: 'provisioned'; readonly state: LabState }

/**
 * Classifies a lab folder without changing it; `up` and `reset` decide from this what is safe.
 *
 * @example
 * const folder = await inspectLabFolder(labPaths('var/lab'))
 */
export async function inspectLabFolder(paths: LabPaths): Promise<LabFolder> {
  const entries = await readdir(paths.dir).catch(() => null)
  if (entries === null || entries.length === 0) return { kind: 'absent' }
  const marker = await readFile(paths.marker, 'utf8').catch(() => null)
  if (marker === null) return { kind: 'foreign', reason: `${paths.dir} is not empty and has no lab marker` }
  if (marker !== labMarker) return { kind: 'foreign', reason: `${paths.dir} was made by another idbridge version` }
  const raw = await readFile(paths.state, 'utf8').catch(() => null)
  const parsed = raw === null ? null : labStateSchema.safeParse(JSON.parse(raw))
  if (!parsed?.success || parsed.data.phase === 'provisioning') return { kind: 'half' }
  return { kind: 'provisioned', state: parsed.data }
}

export async function writeLabState(paths: LabPaths, state: LabState): Promise<void> {
  await writeFile(paths.state, `${JSON.stringify(state, null, 2)}\n`)
}
