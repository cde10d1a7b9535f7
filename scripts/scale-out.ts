/**
 * @module `npm run scale-out`: issue 7 §2 — one tenant node, then two on one PostgreSQL, each with
 * its own agent, under a mixed load of admin resets and sign-ins. Prints the bench's table (or
 * JSON with --json) and "no request lost or duplicated: yes/no"; exits 1 on "no" or an error.
 */
import { CleanupStack } from '../src/bench/scale-out/cleanup-stack.ts'
import { runScaleOut } from '../src/bench/scale-out/run-scale-out.ts'
import { parseScaleOutOptions, scaleOutUsage } from '../src/bench/scale-out/scale-out-options.ts'
import { formatScaleOutReport } from '../src/bench/scale-out/scale-out-report.ts'

const log = (line: string) => process.stderr.write(`${line}\n`)

async function main(): Promise<number> {
  const options = parseScaleOutOptions(process.argv.slice(2))
  if (options.help) {
    process.stdout.write(scaleOutUsage)
    return 0
  }
  const cleanups = new CleanupStack(log)
  // Past the deadline, or on a signal, everything the run started is stopped and the lab restored.
  const abort = (why: string) => {
    log(`scale-out: ${why}, stopping everything this run started`)
    void cleanups.run().finally(() => process.exit(why.startsWith('SIG') ? 130 : 1))
  }
  const deadline = setTimeout(() => abort(`deadline of ${options.deadlineMs / 60_000} min passed`), options.deadlineMs)
  process.once('SIGINT', () => abort('SIGINT'))
  process.once('SIGTERM', () => abort('SIGTERM'))
  try {
    const report = await runScaleOut(options, cleanups, log)
    await cleanups.run()
    process.stdout.write(options.json ? `${JSON.stringify(report, null, 2)}\n` : formatScaleOutReport(report))
    return report.noneLostOrDuplicated ? 0 : 1
  } finally {
    await cleanups.run()
    clearTimeout(deadline)
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    log(`scale-out: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`)
    process.exit(1)
  },
)
