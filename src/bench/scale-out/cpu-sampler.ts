/**
 * @module Where the CPU went during a phase, from /proc: the machine as a whole (other people's
 * work included) and each group of processes the run cares about. This is what says whether a
 * second node could have helped, or the machine, Samba or PostgreSQL was the limit.
 */
import { execFileSync } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import { cpus } from 'node:os'

/** Process groups by name, each a list of PIDs found at snapshot time. */
export type ProcessGroups = Readonly<Record<string, readonly number[]>>

export interface CpuSnapshot {
  readonly at: number
  /** Jiffies of all cores: busy (not idle, not iowait) and in all. */
  readonly machineBusy: number
  readonly machineTotal: number
  readonly byPid: ReadonlyMap<number, { group: string; ticks: number }>
}

export interface CpuUsage {
  readonly cores: number
  readonly seconds: number
  /** Busy share of all cores over the interval, 0..100, whoever was busy. */
  readonly machineBusyPercent: number
  /** CPU seconds per group, and the same in cores (1.0 = one core busy the whole time). */
  readonly groups: Readonly<Record<string, { cpuSeconds: number; cores: number }>>
}

const ticksPerSecond = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100
  } catch {
    return 100
  }
})()

/** @example const before = cpuSnapshot(groups()); …; const usage = cpuUsage(before, cpuSnapshot(groups())) */
export function cpuSnapshot(groups: ProcessGroups): CpuSnapshot {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number)
  const total = fields.slice(0, 8).reduce((a, b) => a + b, 0)
  const idle = (fields[3] ?? 0) + (fields[4] ?? 0)
  const byPid = new Map<number, { group: string; ticks: number }>()
  for (const [group, pids] of Object.entries(groups)) {
    for (const pid of pids) {
      const ticks = processTicks(pid)
      if (ticks !== undefined) byPid.set(pid, { group, ticks })
    }
  }
  return { at: performance.now(), machineBusy: total - idle, machineTotal: total, byPid }
}

/** A process that started in between counts from zero; one that ended in between is missed. */
export function cpuUsage(before: CpuSnapshot, after: CpuSnapshot): CpuUsage {
  const seconds = (after.at - before.at) / 1000
  const groups: Record<string, { cpuSeconds: number; cores: number }> = {}
  for (const [pid, { group, ticks }] of after.byPid) {
    const used = (ticks - (before.byPid.get(pid)?.ticks ?? 0)) / ticksPerSecond
    const entry = (groups[group] ??= { cpuSeconds: 0, cores: 0 })
    entry.cpuSeconds += used
  }
  for (const entry of Object.values(groups)) {
    entry.cpuSeconds = Math.round(entry.cpuSeconds * 10) / 10
    entry.cores = Math.round((entry.cpuSeconds / seconds) * 100) / 100
  }
  const total = after.machineTotal - before.machineTotal
  const busy = after.machineBusy - before.machineBusy
  return {
    cores: cpus().length,
    seconds: Math.round(seconds * 10) / 10,
    machineBusyPercent: total > 0 ? Math.round((busy / total) * 1000) / 10 : 0,
    groups,
  }
}

/** `pid` and every process below it (Samba's pre-forked workers under its master). */
export function processTree(pid: number): number[] {
  const parents = new Map<number, number[]>()
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    const stat = readStat(Number(entry))
    if (!stat) continue
    const ppid = Number(stat[1])
    parents.set(ppid, [...(parents.get(ppid) ?? []), Number(entry)])
  }
  const tree = [pid]
  for (let i = 0; i < tree.length; i++) tree.push(...(parents.get(tree[i]!) ?? []))
  return tree
}

/** Every process whose command name is `name`, e.g. all of PostgreSQL's backends. */
export function processesNamed(name: string): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .map(Number)
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === name
      } catch {
        return false
      }
    })
}

function processTicks(pid: number): number | undefined {
  const stat = readStat(pid)
  // After "(comm) ": state is field 0 here, utime 11 and stime 12.
  return stat ? Number(stat[11]) + Number(stat[12]) : undefined
}

function readStat(pid: number): string[] | undefined {
  try {
    const raw = readFileSync(`/proc/${pid}/stat`, 'utf8')
    return raw.slice(raw.lastIndexOf(')') + 2).split(' ')
  } catch {
    return undefined
  }
}
