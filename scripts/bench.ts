/** @module `npm run bench`: runs the benchmark scenarios against the bench labs and prints a table, or JSON with --json. */
import { BenchContext } from '../src/bench/bench-context.ts'
import type { BenchResult } from '../src/bench/bench-result.ts'
import type { BenchTarget } from '../src/bench/bench-target.ts'
import { describeMachine } from '../src/bench/describe-machine.ts'
import { formatTable } from '../src/bench/format-table.ts'
import { meetsTarget } from '../src/bench/meets-target.ts'
import { parseBenchArgs } from '../src/bench/parse-bench-args.ts'
import { scenarios } from '../src/bench/scenarios.ts'

const usage = `Usage: npm run bench -- [--json] [--quick] [--only <name,...>]

  --json    print only the JSON array [{name, value, unit, floor, ratio, n, p50, p99}]
  --quick   one repetition per scenario instead of 3 (imports) and 10 (delta)
  --only    run these scenarios: ${scenarios.map((s) => s.name).join(', ')}

Missing a target prints a warning and still exits 0; an error exits 1.
`

const log = (line: string) => process.stderr.write(`${line}\n`)

async function main(): Promise<number> {
  const args = parseBenchArgs(process.argv.slice(2), scenarios.map((s) => s.name))
  if (args.help) {
    process.stdout.write(usage)
    return 0
  }
  const selected = scenarios.filter((s) => args.only === null || args.only.includes(s.name))
  const context = new BenchContext({ quick: args.quick, log })
  let interrupted = false
  const onSignal = (signal: NodeJS.Signals) => {
    if (interrupted) return
    interrupted = true
    log(`bench: ${signal}, stopping everything this run started`)
    void context.close().finally(() => process.exit(130))
  }
  process.once('SIGINT', onSignal)
  process.once('SIGTERM', onSignal)

  const machine = await describeMachine()
  const rows: { result: BenchResult; target: BenchTarget }[] = []
  let failed = 0
  try {
    for (const scenario of selected) {
      const started = performance.now()
      log(`bench: ${scenario.name} …`)
      try {
        rows.push({ result: await scenario.run(context), target: scenario.target })
        log(`bench: ${scenario.name} done in ${((performance.now() - started) / 1000).toFixed(1)} s`)
      } catch (err) {
        failed++
        log(`bench: ${scenario.name} FAILED: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`)
      }
    }
  } finally {
    await context.close()
  }

  if (args.json) {
    process.stdout.write(`${JSON.stringify(rows.map((r) => r.result), null, 2)}\n`)
  } else {
    process.stdout.write(`Machine: ${machine}${args.quick ? ' (quick run)' : ''}\n\n${formatTable(rows)}`)
  }
  for (const { result, target } of rows) {
    if (!meetsTarget(result, target)) {
      const figure = target.on === 'ratio' ? `ratio ${result.ratio}` : `p50 ${result.p50} ms`
      log(`warning: ${result.name} misses its target (${target.label}): ${figure}`)
    }
  }
  return failed > 0 ? 1 : 0
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    log(`bench: ${err instanceof Error ? err.message : String(err)}`)
    process.exit(1)
  },
)
