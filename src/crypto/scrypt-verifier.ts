/** @module The memory-hard verifier for passwords that the tenant itself manages (cloud-only users). */
import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto'

// N=2^15, r=8 costs 32 MiB and ~50 ms here: memory-hard enough for an online service on 2 cores.
const PARAMS = { N: 1 << 15, r: 8, p: 1 } as const
const KEY_BYTES = 32
const FORMAT = /^scrypt\$(\d+)\$(\d+)\$(\d+)\$([A-Za-z0-9+/=]+)\$([A-Za-z0-9+/=]+)$/

function derive(password: string, salt: Buffer, N: number, r: number, p: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFC'), salt, KEY_BYTES, { N, r, p, maxmem: 256 * N * r }, (err, key) =>
      err ? reject(err) : resolve(key),
    )
  })
}

/** `scrypt$N$r$p$salt$key`, with the parameters stored so they can be raised later. */
export async function createScryptVerifier(password: string): Promise<string> {
  const salt = randomBytes(16)
  const key = await derive(password, salt, PARAMS.N, PARAMS.r, PARAMS.p)
  return `scrypt$${PARAMS.N}$${PARAMS.r}$${PARAMS.p}$${salt.toString('base64')}$${key.toString('base64')}`
}

export async function checkScryptVerifier(verifier: string, password: string): Promise<boolean> {
  const m = FORMAT.exec(verifier)
  if (!m) return false
  const [N, r, p] = [Number(m[1]), Number(m[2]), Number(m[3])]
  // A tampered row must not make us allocate gigabytes.
  if (N > 1 << 20 || r > 32 || p > 16) return false
  const expected = Buffer.from(m[5]!, 'base64')
  const key = await derive(password, Buffer.from(m[4]!, 'base64'), N, r, p)
  return key.length === expected.length && timingSafeEqual(key, expected)
}
