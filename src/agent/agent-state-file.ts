/** @module The agent's durable sync state: the delta cookie and the anchors it exported, written atomically. */
import { readFileSync } from 'node:fs'
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
  constructor(file: string) {
    this.file = file
  }

  /** A missing or unreadable file means "start with a full import", which is always safe. */
  read(): AgentSyncState {
    try {
      return stateSchema.parse(JSON.parse(readFileSync(this.file, 'utf8')))
    } catch {
      return emptyAgentState
    }
  }

  /** Write then rename: a crash leaves the old state or the new one, never half of either. */
  write(state: AgentSyncState): void {
    writeFileAtomically(this.file, JSON.stringify(state))
  }
}
