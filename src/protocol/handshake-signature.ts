/** @module What the agent signs with its Ed25519 identity key, and how the tenant checks it. */
import { createPublicKey, type KeyObject, sign, verify } from 'node:crypto'

// Domain separation: a signature made for one purpose or one tenant origin is useless for another.
const CHANNEL_CONTEXT = 'idbridge agent channel v1'
const ROTATE_CONTEXT = 'idbridge agent rotate-keys v1'

export interface ChallengeFields {
  readonly origin: string
  readonly agentId: string
  readonly nonce: string
}

export interface RotationFields extends ChallengeFields {
  readonly identityPublicKey: string
  readonly encryptionPublicKey: string
}

export const challengeText = (f: ChallengeFields): string => [CHANNEL_CONTEXT, f.origin, f.agentId, f.nonce].join('\n')

/** Binds the new public keys to the session nonce, so the proof cannot be moved to other keys or another session. */
export const rotationText = (f: RotationFields): string =>
  [ROTATE_CONTEXT, f.origin, f.agentId, f.nonce, f.identityPublicKey, f.encryptionPublicKey].join('\n')

/** Signs with an Ed25519 private key (PKCS#8 PEM or KeyObject); base64url. */
export function signText(privateKey: string | KeyObject, text: string): string {
  return sign(null, Buffer.from(text, 'utf8'), privateKey).toString('base64url')
}

/** False for a wrong signature, a malformed key or a key that is not Ed25519: never throws. */
export function verifyText(publicKeyPem: string, text: string, signature: string): boolean {
  try {
    const key = createPublicKey(publicKeyPem)
    if (key.asymmetricKeyType !== 'ed25519') return false
    return verify(null, Buffer.from(text, 'utf8'), key, Buffer.from(signature, 'base64url'))
  } catch {
    return false
  }
}

/** The origin both ends sign: scheme, host and port only, lower-cased, without a trailing slash. */
export function toOrigin(url: string): string {
  return new URL(url).origin
}
