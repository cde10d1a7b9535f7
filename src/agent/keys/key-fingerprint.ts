/** @module A short, safe-to-log name for a public key: SHA-256 of its DER form. */
import { createHash, createPublicKey } from 'node:crypto'

export function publicKeyFingerprint(publicKeyPem: string): string {
  const der = createPublicKey(publicKeyPem).export({ type: 'spki', format: 'der' })
  return `SHA256:${createHash('sha256').update(der).digest('base64url').slice(0, 22)}`
}
