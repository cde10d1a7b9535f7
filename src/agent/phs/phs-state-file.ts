/** @module Password hash sync's durable state: per-user health, the retry queue and the initial-sync mark. */
import { readFileSync } from 'node:fs'
import { z } from 'zod'
import { writeFileAtomically } from '../write-file-atomically.ts'

const userSchema = z.object({
  distinguishedName: z.string(),
  /** The pwdLastSet (epoch ms) last synced or attempted: a different value in AD means a new password. */
  pwdLastSet: z.number().nullable(),
  /** When the tenant took the last verifier (epoch ms). */
  syncedAt: z.number().nullable(),
  /** Milliseconds from the change in AD to the tenant taking it. */
  lagMs: z.number().nullable(),
  /** Success, FilteredByTarget, TargetNotExportedToDirectory, MissingAttribute, Error or Pending. */
  result: z.string(),
  detail: z.string().optional(),
  /** In the retry queue (events 605/606): attempts so far and when the next one is due (epoch ms). */
  retry: z.object({ attempts: z.number().int(), dueAt: z.number() }).optional(),
})
export type PhsUserState = z.infer<typeof userSchema>

const stateSchema = z.object({
  version: z.literal(1),
  /** The initial full password sync finished; until then every cycle starts it again. */
  initialCompletedAt: z.number().nullable(),
  /** Set by `phs resync --all`; the next cycle does a full sync and clears it. */
  resyncRequestedAt: z.number().nullable(),
  lastCycle: z.object({ at: z.number(), kind: z.string(), result: z.string() }).nullable(),
  /** Keyed by objectGUID (base64), like the directory sync's anchors. */
  users: z.record(z.string(), userSchema),
})
export type PhsState = z.infer<typeof stateSchema>

export const emptyPhsState: PhsState = {
  version: 1,
  initialCompletedAt: null,
  resyncRequestedAt: null,
  lastCycle: null,
  users: {},
}

/**
 * The running agent is the file's only writer (`phs resync` leaves a marker file instead), so the
 * parsed state is kept after the first read: a sync of 10,000 users must not re-parse and
 * re-validate the whole file for every page it records.
 */
export class PhsStateFile {
  readonly file: string
  #state: PhsState | undefined

  constructor(file: string) {
    this.file = file
  }

  /** A missing or unreadable file means "do the initial sync again", which is always safe. */
  read(): PhsState {
    this.#state ??= this.#load()
    return this.#state
  }

  /** Write then rename: a crash leaves the old state or the new one. No hash is ever part of it. */
  write(state: PhsState): void {
    writeFileAtomically(this.file, JSON.stringify(state))
    this.#state = state
  }

  /**
   * With `persist: false` the change stays in memory until the next persisted update: a full
   * sync writes its thousands of outcomes once at its end, not the whole file for every page.
   * Nothing is lost by a crash meanwhile, because an unfinished full sync starts over.
   */
  update(change: (state: PhsState) => void, options: { persist?: boolean } = {}): PhsState {
    const state = this.read()
    change(state)
    if (options.persist !== false) this.write(state)
    return state
  }

  #load(): PhsState {
    try {
      return stateSchema.parse(JSON.parse(readFileSync(this.file, 'utf8')))
    } catch {
      return structuredClone(emptyPhsState)
    }
  }
}
