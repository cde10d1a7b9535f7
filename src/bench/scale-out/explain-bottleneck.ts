/**
 * @module Says, from the figures of the run, why throughput grew from one node to two or did not:
 * where the CPU went in each phase (ours and everyone else's on the machine), whether the machine
 * was saturated, whether other work on it changed between the phases (which moves the result as
 * much as a node does), and whether the resets, which all end in the one Samba DC, kept their pace.
 */
import type { PhaseRecord } from './phase-record.ts'
import type { ScaleOutRow } from './scale-out-report.ts'

/** Busy share of all cores at or above which a second node process has no idle core to run on. */
const SATURATED_PERCENT = 85
/** A change in other work on the machine, in cores, big enough to mention. */
const OTHERS_CHANGED_CORES = 0.15

/**
 * @example
 * explainBottleneck(rows, phases) // ['Throughput grew 1.39× …', 'CPU in 1-node …', 'CPU in 2-nodes …', 'Why: …']
 */
export function explainBottleneck(rows: readonly ScaleOutRow[], phases: readonly PhaseRecord[]): string[] {
  const rate = (name: string) => rows.find((r) => r.name === name)?.value ?? 0
  const [one, two] = [phases[0]!, phases[phases.length - 1]!]
  const ratio = rate(two.name) / rate(one.name)
  const perCore = (p: PhaseRecord) => rate(p.name) / Math.max(0.01, cpuOf(p).ours)
  const lines = [
    `${ratio >= 1.1 ? `Throughput grew ${ratio.toFixed(2)}×` : `Throughput did not grow (${ratio.toFixed(2)}×)`} from one node to two; ` +
      `per core used by the run's own processes it went from ${perCore(one).toFixed(1)} to ${perCore(two).toFixed(1)} ops/s ` +
      `(${(perCore(two) / perCore(one)).toFixed(2)}×).`,
    ...phases.map(cpuLine),
  ]
  const reasons: string[] = []
  if (two.cpu.machineBusyPercent >= SATURATED_PERCENT) {
    reasons.push(
      `the machine was CPU-bound (${one.cpu.machineBusyPercent}% and ${two.cpu.machineBusyPercent}% of its ${two.cpu.cores} cores busy): ` +
        'the nodes, the agents, Samba, PostgreSQL and the load share the same cores, so a second node brings no core of its own, ' +
        'only a larger share of the contended ones; on separate machines each node would bring its own',
    )
  }
  const [a, b] = [cpuOf(one), cpuOf(two)]
  if (Math.abs(b.others - a.others) >= OTHERS_CHANGED_CORES) {
    reasons.push(
      `other work on this shared machine went from ${a.others.toFixed(2)} to ${b.others.toFixed(2)} cores between the phases, so the ` +
        `run's own processes got ${a.ours.toFixed(2)} → ${b.ours.toFixed(2)} cores; much of the change in throughput follows the CPU ` +
        'the run got, which the per-core figure above separates from the node count',
    )
  }
  const resetRatio = rate(`${two.name} reset`) / rate(`${one.name} reset`)
  if (resetRatio < 1.1) {
    const samba = (p: PhaseRecord) => (p.cpu.groups.samba?.cores ?? 0).toFixed(2)
    reasons.push(
      `resets kept their pace (${rate(`${one.name} reset`)} → ${rate(`${two.name} reset`)}/s) because each one ends in the same ` +
        "single Samba DC, which applies password writes one at a time (sam.ldb's transaction lock) and derives every new " +
        `password's Kerberos keys itself (Samba ${samba(one)} → ${samba(two)} cores)`,
    )
  }
  if (reasons.length === 0 && ratio < 1.1) {
    reasons.push('no process group was CPU-bound: the requests in flight waited on AD and the store, so the limit is latency, not nodes')
  }
  if (reasons.length > 0) lines.push(`${ratio >= 1.1 ? 'What limits and qualifies it' : 'Why'}: ${reasons.join('; ')}.`)
  return lines
}

/** Cores busy on average: the run's own process groups, and the rest of the machine. */
function cpuOf(phase: PhaseRecord): { ours: number; others: number } {
  const { cores, machineBusyPercent, groups } = phase.cpu
  const ours = Object.values(groups).reduce((sum, g) => sum + g.cores, 0)
  return { ours, others: Math.max(0, (machineBusyPercent / 100) * cores - ours) }
}

/** `CPU in 1-node (cores busy on average): tenant nodes 0.57, samba 0.35, …, everything else on the machine 0.89; …`. */
function cpuLine(phase: PhaseRecord): string {
  const { cores, machineBusyPercent, groups } = phase.cpu
  const each = Object.entries(groups)
    .filter(([, g]) => g.cores >= 0.005)
    .sort(([, x], [, y]) => y.cores - x.cores)
    .map(([name, g]) => `${name} ${g.cores.toFixed(2)}`)
  return (
    `CPU in ${phase.name} (cores busy on average): ${each.join(', ')}, everything else on the machine ` +
    `${cpuOf(phase).others.toFixed(2)}; all ${cores} cores ${machineBusyPercent}% busy.`
  )
}
