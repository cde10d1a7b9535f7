/** @module The tenant service's log, summarised: levels and catalogue codes seen, never a line of it. */
import { closeSync, openSync, readSync, statSync } from 'node:fs'
import { type DoctorSection, codesIn, section } from './doctor-report.ts'

const TAIL_BYTES = 2 * 1024 * 1024
const levelNames: Record<number, string> = { 10: 'trace', 20: 'debug', 30: 'info', 40: 'warn', 50: 'error', 60: 'fatal' }

function tail(file: string): { size: number; modified: string; text: string } | undefined {
  let fd: number
  try {
    fd = openSync(file, 'r')
  } catch {
    return undefined
  }
  try {
    const info = statSync(file)
    const length = Math.min(info.size, TAIL_BYTES)
    const buffer = Buffer.alloc(length)
    readSync(fd, buffer, 0, length, info.size - length)
    return { size: info.size, modified: info.mtime.toISOString(), text: buffer.toString('utf8') }
  } finally {
    closeSync(fd)
  }
}

/**
 * Counts per level and per catalogue code (from each line's `code` field only): enough to see
 * what went wrong and when, while request paths, ids and free-text messages stay on the host.
 */
export function cloudLogSection(file: string): DoctorSection {
  const read = tail(file)
  if (!read) return section(`no log at ${file}`, { file, present: false })
  const byLevel: Record<string, number> = {}
  const codes: Record<string, number> = {}
  let lines = 0
  let lastErrorAt: string | null = null
  for (const line of read.text.split('\n')) {
    let entry: { level?: unknown; code?: unknown; time?: unknown }
    try {
      entry = JSON.parse(line) as typeof entry
    } catch {
      continue
    }
    lines++
    const level = typeof entry.level === 'number' ? (levelNames[entry.level] ?? String(entry.level)) : 'unknown'
    byLevel[level] = (byLevel[level] ?? 0) + 1
    if ((level === 'error' || level === 'fatal') && typeof entry.time === 'number') lastErrorAt = new Date(entry.time).toISOString()
    if (typeof entry.code === 'string') for (const code of codesIn(entry.code)) codes[code] = (codes[code] ?? 0) + 1
  }
  return section(
    `${lines} log lines read from the last ${Math.round(Math.min(read.size, TAIL_BYTES) / 1024)} KiB; ${byLevel.error ?? 0} errors`,
    { file, present: true, size: read.size, modified: read.modified, linesRead: lines, byLevel, codes, lastErrorAt },
  )
}
