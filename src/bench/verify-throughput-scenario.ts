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
 * Each side runs for ~2 s (quick: 0.5 s) after a short untimed warm-up; the floor runs first.
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

  const floor = await opsPerSecond(seconds, () => {
    pbkdf2Sync(expanded, salt, ORG_ID_ITERATIONS, 32, 'sha256')
  })
  const measured = await opsPerSecond(seconds, async () => {
    if (!(await checkPassword(verifier, PASSWORD))) throw new Error(`${name}: checkPassword refused the known password`)
  })
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

/** Calls `op` one after another for `seconds` (after 20 untimed calls) and counts them. */
async function opsPerSecond(seconds: number, op: () => unknown): Promise<{ rate: number; n: number; ms: number }> {
  for (let i = 0; i < 20; i++) await op()
  const started = performance.now()
  const until = started + seconds * 1000
  let n = 0
  let now = started
  while (now < until) {
    await op()
    n++
    now = performance.now()
  }
  const ms = now - started
  return { rate: (n * 1000) / ms, n, ms }
}
