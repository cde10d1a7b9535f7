/** @module Validates the public halves an agent sends: an Ed25519 identity key and an RSA ≥ 2048 encryption key. */
import { createPublicKey } from 'node:crypto'
import { z } from 'zod'

const pem = z.string().min(50).max(4096).startsWith('-----BEGIN PUBLIC KEY-----')

/** The writeback reference uses RSA-2048; we generate 3072 and accept 2048 and up. */
export const MIN_RSA_BITS = 2048

function keyKind(value: string): { type: string | undefined; bits: number | undefined } | undefined {
  try {
    const key = createPublicKey(value)
    return { type: key.asymmetricKeyType, bits: key.asymmetricKeyDetails?.modulusLength }
  } catch {
    return undefined
  }
}

export const identityPublicKeySchema = pem.refine(
  (v) => keyKind(v)?.type === 'ed25519',
  'an Ed25519 public key in SPKI PEM form',
)

export const encryptionPublicKeySchema = pem.refine((v) => {
  const kind = keyKind(v)
  return kind?.type === 'rsa' && (kind.bits ?? 0) >= MIN_RSA_BITS
}, `an RSA public key of at least ${MIN_RSA_BITS} bits in SPKI PEM form`)

export const agentPublicKeysSchema = z
  .object({ identityPublicKey: identityPublicKeySchema, encryptionPublicKey: encryptionPublicKeySchema })
  .strict()
