/** @module The flags of `npm run bench`: --json, --quick, --only <names>. */
import { parseArgs } from 'node:util'

export interface BenchArgs {
  readonly json: boolean
  readonly quick: boolean
  /** Scenario names to run; null means all. */
  readonly only: readonly string[] | null
  readonly help: boolean
}

/**
 * `--only` takes a comma-separated list and may be repeated; names are checked against `known`.
 *
 * @example
 * parseBenchArgs(['--only', 'import-1k,delta-attribute', '--quick'], names)
 */
export function parseBenchArgs(argv: readonly string[], known: readonly string[]): BenchArgs {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      json: { type: 'boolean', default: false },
      quick: { type: 'boolean', default: false },
      only: { type: 'string', multiple: true },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
    allowPositionals: false,
  })
  const only = values.only?.flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean) ?? null
  const unknown = only?.filter((name) => !known.includes(name)) ?? []
  if (unknown.length > 0) {
    throw new Error(`--only: unknown scenario ${unknown.join(', ')}; the scenarios that exist today are ${known.join(', ')}`)
  }
  return { json: values.json ?? false, quick: values.quick ?? false, only, help: values.help ?? false }
}
