/** @module The flags and sizes of `npm run scale-out`: issue 7 §2's mixed load, or a tenth of it with --quick. */
import { parseArgs } from 'node:util'

export interface ScaleOutOptions {
  readonly quick: boolean
  readonly json: boolean
  readonly help: boolean
  /** Admin resets per phase; an even number, as each reset user gets two in a row. */
  readonly resets: number
  /** Sign-ins per phase. */
  readonly signIns: number
  /**
   * Concurrent clients in all, the same in both phases (one node: all of them on it; two nodes:
   * half on each), so a gain from two nodes is the nodes' doing, not more clients'.
   */
  readonly clients: number
  /** Everything, lab to cleanup, ends within this or the run fails. */
  readonly deadlineMs: number
}

export const scaleOutUsage = `Usage: npm run scale-out -- [--quick] [--json]

Two tenant nodes on one PostgreSQL (127.0.0.1:5432, database test, a fresh schema), each with its own
agent, against the 1k bench lab. Phase A: one node takes the mixed load; phase B: two nodes share it.

  --quick   100 resets + 1,000 sign-ins per phase (default: 1,000 resets + 10,000 sign-ins)
  --json    print only the JSON report on stdout (progress still goes to stderr)

Exits 1 when a request was lost or duplicated (results, audit log, agent events, AD binds) or on an error.
`

/**
 * @example
 * parseScaleOutOptions(['--quick']) // { quick: true, resets: 100, signIns: 1000, clients: 32, … }
 */
export function parseScaleOutOptions(argv: readonly string[]): ScaleOutOptions {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      quick: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
    allowPositionals: false,
  })
  const quick = values.quick ?? false
  return {
    quick,
    json: values.json ?? false,
    help: values.help ?? false,
    resets: quick ? 100 : 1_000,
    signIns: quick ? 1_000 : 10_000,
    clients: 32,
    deadlineMs: (quick ? 25 : 60) * 60_000,
  }
}
