/** @module The scenarios that exist today, by their fixed names; features not landed yet have no entry, never a fake one. */
import type { BenchContext } from './bench-context.ts'
import type { BenchResult } from './bench-result.ts'
import type { BenchTarget } from './bench-target.ts'
import { runDeltaAttribute } from './delta-attribute-scenario.ts'
import { runHttpSignIn, runHttpSsprStart } from './http-scenarios.ts'
import { runImportScenario } from './import-scenario.ts'
import { runDeltaPassword, runPhsInitial } from './phs-scenarios.ts'
import { runVerifyThroughput } from './verify-throughput-scenario.ts'
import { runWriteback } from './writeback-scenario.ts'

export interface Scenario {
  readonly name: string
  readonly target: BenchTarget
  run(context: BenchContext): Promise<BenchResult>
}

const importTarget: BenchTarget = { on: 'ratio', max: 1.5, label: 'ratio ≤ 1.5' }
/** Issue 7 gives the HTTP scenarios no target: they report throughput, p99 and RSS only. */
const reportOnly: BenchTarget = { on: 'none', label: 'report only' }

/** In run order, by issue 7's fixed names. */
export const scenarios: readonly Scenario[] = [
  { name: 'import-1k', target: importTarget, run: (context) => runImportScenario(context, 'import-1k', 1_000) },
  { name: 'import-10k', target: importTarget, run: (context) => runImportScenario(context, 'import-10k', 10_000) },
  { name: 'phs-initial-1k', target: importTarget, run: (context) => runPhsInitial(context, 'phs-initial-1k', 1_000) },
  { name: 'phs-initial-10k', target: importTarget, run: (context) => runPhsInitial(context, 'phs-initial-10k', 10_000) },
  { name: 'delta-attribute', target: { on: 'p50', max: 5_000, label: 'p50 ≤ 5000 ms' }, run: runDeltaAttribute },
  {
    name: 'delta-password',
    target: { on: 'p50', max: 5_000, p99Max: 15_000, label: 'p50 ≤ 5000 ms, p99 ≤ 15000 ms' },
    run: runDeltaPassword,
  },
  {
    name: 'writeback',
    target: { on: 'p50', perFloor: 1.5, max: 100, p99Max: 1_000, label: 'p50 ≤ 1.5 × floor + 100 ms, p99 ≤ 1000 ms' },
    run: runWriteback,
  },
  { name: 'verify-throughput', target: { on: 'ratio', min: 0.8, label: 'ratio ≥ 0.8' }, run: runVerifyThroughput },
  { name: 'http-signin', target: reportOnly, run: runHttpSignIn },
  { name: 'http-sspr-start', target: reportOnly, run: runHttpSsprStart },
]
