/** @module The OrgId hash that password hash sync delivers to the tenant (reference §1.3). */
import { pbkdf2, pbkdf2Sync } from 'node:crypto'
import { promisify } from 'node:util'
import { md4 } from 'hash-wasm'

const pbkdf2Async = promisify(pbkdf2)

export const ORG_ID_SALT_BYTES = 10
export const ORG_ID_ITERATIONS = 1000
const ORG_ID_KEY_BYTES = 32
const FORMAT = /^v1;PPH1_MD4,([0-9a-f]{20}),([1-9][0-9]{0,6}),([0-9a-f]{64});$/

/** The parts of a stored `v1;PPH1_MD4,<salt>,<iterations>,<hash>;` verifier. */
export interface OrgIdVerifier {
  readonly salt: Buffer
  readonly iterations: number
  readonly hash: Buffer
}

/** NT hash: MD4 over UTF-16LE. OpenSSL 3 refuses MD4, hence hash-wasm. */
export async function ntHash(password: string): Promise<Buffer> {
  return Buffer.from(await md4(Buffer.from(password, 'utf16le')), 'hex')
}

/**
 * PBKDF2-HMAC-SHA256 over UTF-16LE(UPPERCASE-HEX(ntHash)). Uppercase matters: lowercase hex does
 * not reproduce the published vectors.
 */
export async function orgIdHashFromNtHash(nt: Buffer, salt: Buffer, iterations = ORG_ID_ITERATIONS): Promise<Buffer> {
  // A round trip through libuv's thread pool costs a third of 1000 iterations on a VM: a single
  // check at the standard count is cheaper on this thread, which it holds for about 0.3 ms. A
  // count far above it (an agent may send any) stays off the event loop.
  if (iterations <= ORG_ID_ITERATIONS) return pbkdf2Sync(expandNtHash(nt), salt, iterations, ORG_ID_KEY_BYTES, 'sha256')
  return orgIdHashFromNtHashInPool(nt, salt, iterations)
}

/** Many hashes at once, as the agent stretches a page: in parallel on the thread pool. */
export function orgIdHashFromNtHashInPool(nt: Buffer, salt: Buffer, iterations = ORG_ID_ITERATIONS): Promise<Buffer> {
  return pbkdf2Async(expandNtHash(nt), salt, iterations, ORG_ID_KEY_BYTES, 'sha256')
}

function expandNtHash(nt: Buffer): Buffer {
  if (nt.length !== 16) throw new Error(`an NT hash has 16 bytes, got ${nt.length}`)
  return Buffer.from(nt.toString('hex').toUpperCase(), 'utf16le')
}

export function formatOrgIdVerifier(v: OrgIdVerifier): string {
  return `v1;PPH1_MD4,${v.salt.toString('hex')},${v.iterations},${v.hash.toString('hex')};`
}

/** Returns undefined for anything that is not a well-formed verifier, so callers treat it as "no credential". */
export function parseOrgIdVerifier(text: string): OrgIdVerifier | undefined {
  const m = FORMAT.exec(text)
  if (!m) return undefined
  return { salt: Buffer.from(m[1]!, 'hex'), iterations: Number(m[2]), hash: Buffer.from(m[3]!, 'hex') }
}
