/** @module `verify-throughput`: sign-in password checks per second on an OrgId verifier, against raw PBKDF2 at 1000 iterations. */
import { pbkdf2Sync, randomBytes } from 'node:crypto'
import { formatOrgIdVerifier, ntHash, ORG_ID_ITERATIONS, orgIdHashFromNtHash } from '../crypto/org-id-hash.ts'
import { checkPassword } from '../crypto/password-verifier.ts'
import type { BenchContext } from './bench-context.ts'
import type { BenchResult } from './bench-result.ts'

const PASSWORD = 'Bench-Verify-Qx7!'

/**
 * One call at a time on both sides, so both measure one core's worth of work: `checkPassword` on
 * a `v1;PPH1_MD4,…;` verifier for its correct password (parse, MD4, hex expansion, PBKDF2 on the
 * thread pool, constant-time compare), against `pbkdf2Sync` over the very bytes it derives from.
 * Each side runs for ~2 s (quick: 0.5 s) after a short untimed warm-up, in alternating slices.
 *
 * @example
 * const result = await runVerifyThroughput(context) // value and floor in ops/s
 */
export async function runVerifyThroughput(context: BenchContext): Promise<BenchResult> {
  const name = 'verify-throughput'
  const seconds = context.quick ? 0.5 : 2
  const salt = randomBytes(10)
  const nt = await ntHash(PASSWORD)
  const expanded = Buffer.from(nt.toString('hex').toUpperCase(), 'utf16le')
  const hash = await orgIdHashFromNtHash(nt, salt, ORG_ID_ITERATIONS)
  const verifier = formatOrgIdVerifier({ salt, iterations: ORG_ID_ITERATIONS, hash })
  const raw = pbkdf2Sync(expanded, salt, ORG_ID_ITERATIONS, 32, 'sha256')
  if (!raw.equals(hash)) throw new Error(`${name}: the raw PBKDF2 does not reproduce the OrgId hash`)
  if (!(await checkPassword(verifier, PASSWORD))) throw new Error(`${name}: checkPassword refuses the known password`)

  const [floor, measured] = await interleavedOpsPerSecond(seconds, [
    () => {
      pbkdf2Sync(expanded, salt, ORG_ID_ITERATIONS, 32, 'sha256')
    },
    async () => {
      if (!(await checkPassword(verifier, PASSWORD))) throw new Error(`${name}: checkPassword refused the known password`)
    },
  ])
  context.log(
    `${name}: checkPassword ${measured.rate.toFixed(0)} ops/s (${measured.n} in ${measured.ms.toFixed(0)} ms), raw pbkdf2Sync ${floor.rate.toFixed(0)} ops/s (${floor.n} in ${floor.ms.toFixed(0)} ms)`,
  )
  return {
    name,
    value: Math.round(measured.rate),
    unit: 'ops/s',
    floor: Math.round(floor.rate),
    ratio: Math.round((measured.rate / floor.rate) * 100) / 100,
    n: measured.n,
    p50: null,
    p99: null,
  }
}

/**
 * Calls each op one after another in alternating slices of 100 ms until each has run `seconds`
 * (after 20 untimed calls each), and counts them. Alternating keeps a CPU that speeds up or slows
 * down during the run (a shared host, frequency scaling) from favouring whichever side ran first.
 */
async function interleavedOpsPerSecond(
  seconds: number,
  ops: readonly [() => unknown, () => unknown],
): Promise<[Throughput, Throughput]> {
  for (const op of ops) for (let i = 0; i < 20; i++) await op()
  const totals = ops.map(() => ({ n: 0, ms: 0 }))
  const slices = Math.max(1, Math.round((seconds * 1000) / 100))
  for (let slice = 0; slice < slices; slice++) {
    for (const [i, op] of ops.entries()) {
      const started = performance.now()
      const until = started + 100
      let now = started
      while (now < until) {
        await op()
        totals[i]!.n++
        now = performance.now()
      }
      totals[i]!.ms += now - started
    }
  }
  const [a, b] = totals.map(({ n, ms }) => ({ rate: (n * 1000) / ms, n, ms }))
  return [a!, b!]
}

interface Throughput {
  readonly rate: number
  readonly n: number
  readonly ms: number
}
