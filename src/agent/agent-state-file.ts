/** @module The agent's durable sync state: the delta cookie and the anchors it exported, written atomically. */
import { readFileSync, type Stats, statSync } from 'node:fs'
import { z } from 'zod'
import { writeFileAtomically } from './write-file-atomically.ts'

const stateSchema = z.object({
  version: z.literal(1),
  cookie: z.object({ mode: z.enum(['dirsync', 'usn']), value: z.string(), dc: z.string() }).nullable(),
  /** objectGUID → sourceAnchor: the anchor never changes once exported. */
  anchors: z.record(z.string(), z.string()),
  lastRun: z
    .object({
      runId: z.string(),
      kind: z.enum(['full', 'delta']),
      startedAt: z.string(),
      finishedAt: z.string().nullable(),
      exported: z.number().int(),
      failed: z.number().int(),
      result: z.string(),
    })
    .nullable(),
  /** While a full import runs: how many users it has read, for `agent status`. */
  progress: z.object({ done: z.number().int(), phase: z.string() }).nullable(),
})

export type AgentSyncState = z.infer<typeof stateSchema>

export const emptyAgentState: AgentSyncState = { version: 1, cookie: null, anchors: {}, lastRun: null, progress: null }

export class AgentStateFile {
  readonly file: string
  /** The last state read or written, with the file's inode, mtime and size then (each write is a new inode). */
  #cached: { state: AgentSyncState; stamp: string } | undefined

  constructor(file: string) {
    this.file = file
  }

  /**
   * A missing or unreadable file means "start with a full import", which is always safe. At
   * 10,000 users the file is a megabyte of anchors and parsing it takes a tenth of a second, so an
   * unchanged file (same inode, mtime and size) is answered from memory; another process's write is seen.
   */
  read(): AgentSyncState {
    let stat
    try {
      stat = statSync(this.file)
    } catch {
      return emptyAgentState
    }
    if (this.#cached?.stamp === stampOf(stat)) return this.#cached.state
    try {
      const state = stateSchema.parse(JSON.parse(readFileSync(this.file, 'utf8')))
      this.#cached = { state, stamp: stampOf(stat) }
      return state
    } catch {
      return emptyAgentState
    }
  }

  /** Write then rename: a crash leaves the old state or the new one, never half of either. */
  write(state: AgentSyncState): void {
    writeFileAtomically(this.file, JSON.stringify(state))
    this.#cached = { state, stamp: stampOf(statSync(this.file)) }
  }
}

function stampOf(stat: Stats): string {
  return `${stat.ino}:${stat.mtimeMs}:${stat.size}`
}
