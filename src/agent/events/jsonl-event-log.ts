/** @module The agent's event log on disk: JSON lines with size-based rotation, and the reader behind `agent events`. */
import { appendFileSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs'
import path from 'node:path'
import { type Clock, systemClock } from '../../time/clock.ts'
import type { AgentEvent, AgentEventLog } from './agent-event.ts'

/** One stored line: the event plus when it happened. */
export interface LoggedEvent extends AgentEvent {
  /** ISO 8601, UTC. */
  readonly at: string
}

export interface JsonlEventLogOptions {
  readonly dir: string
  /** Rotate when the current file would grow past this. */
  readonly maxBytes?: number
  /** Files kept in all, the current one included. */
  readonly maxFiles?: number
  readonly clock?: Clock
}

export const EVENT_FILE_NAME = 'events.jsonl'

/**
 * Appends synchronously: an event written just before a crash is the one an operator needs.
 * Rotation renames events.jsonl → events.1.jsonl → … and drops the oldest.
 */
export class JsonlEventLog implements AgentEventLog {
  readonly #dir: string
  readonly #maxBytes: number
  readonly #maxFiles: number
  readonly #clock: Clock
  #size: number

  constructor(options: JsonlEventLogOptions) {
    this.#dir = options.dir
    this.#maxBytes = options.maxBytes ?? 5 * 1024 * 1024
    this.#maxFiles = Math.max(1, options.maxFiles ?? 5)
    this.#clock = options.clock ?? systemClock
    mkdirSync(this.#dir, { recursive: true, mode: 0o700 })
    this.#size = existsSync(this.#file(0)) ? statSync(this.#file(0)).size : 0
  }

  write(event: AgentEvent): void {
    const logged: LoggedEvent = { at: new Date(this.#clock.now()).toISOString(), ...event }
    const line = `${JSON.stringify(logged)}\n`
    const bytes = Buffer.byteLength(line)
    if (this.#size > 0 && this.#size + bytes > this.#maxBytes) this.#rotate()
    appendFileSync(this.#file(0), line, { mode: 0o600 })
    this.#size += bytes
  }

  #file(index: number): string {
    return path.join(this.#dir, index === 0 ? EVENT_FILE_NAME : `events.${index}.jsonl`)
  }

  #rotate(): void {
    rmSync(this.#file(this.#maxFiles - 1), { force: true })
    for (let i = this.#maxFiles - 2; i >= 0; i--) {
      if (existsSync(this.#file(i))) renameSync(this.#file(i), this.#file(i + 1))
    }
    this.#size = 0
  }
}

/** Oldest first, across the rotated files; a torn last line (crash mid-write) is skipped. */
export function readEvents(
  dir: string,
  filter: { id?: number; since?: number; source?: string; maxFiles?: number } = {},
): LoggedEvent[] {
  const files: string[] = []
  for (let i = (filter.maxFiles ?? 5) - 1; i >= 0; i--) {
    const file = path.join(dir, i === 0 ? EVENT_FILE_NAME : `events.${i}.jsonl`)
    if (existsSync(file)) files.push(file)
  }
  const events: LoggedEvent[] = []
  for (const file of files) {
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      if (!line) continue
      let event: LoggedEvent
      try {
        event = JSON.parse(line) as LoggedEvent
      } catch {
        continue
      }
      if (filter.id !== undefined && event.id !== filter.id) continue
      if (filter.source !== undefined && event.source !== filter.source) continue
      if (filter.since !== undefined && Date.parse(event.at) < filter.since) continue
      events.push(event)
    }
  }
  return events
}
