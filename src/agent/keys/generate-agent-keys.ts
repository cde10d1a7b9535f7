/** @module Makes the agent's two key pairs: Ed25519 to authenticate the channel, RSA-3072 for writeback payloads. */
import { generateKeyPair, type KeyObject } from 'node:crypto'

/** Private halves are PKCS#8 PEM and live only in the 0600 key file and in memory. */
export interface AgentKeys {
  readonly identityPublicKey: string
  readonly identityPrivateKey: string
  readonly encryptionPublicKey: string
  readonly encryptionPrivateKey: string
}

/** RSA-3072 is above the reference's 2048 bits and is NIST's pick for use past 2030. */
export const ENCRYPTION_KEY_BITS = 3072

type PemPair = { publicKey: string; privateKey: string }

const toPem = (publicKey: KeyObject, privateKey: KeyObject): PemPair => ({
  publicKey: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
})

// Async on the libuv pool: RSA-3072 generation can take a second and must not stall the event loop.
const ed25519 = () =>
  new Promise<PemPair>((resolve, reject) =>
    generateKeyPair('ed25519', undefined, (error, publicKey, privateKey) =>
      error ? reject(error) : resolve(toPem(publicKey, privateKey)),
    ),
  )

const rsa = () =>
  new Promise<PemPair>((resolve, reject) =>
    generateKeyPair('rsa', { modulusLength: ENCRYPTION_KEY_BITS }, (error, publicKey, privateKey) =>
      error ? reject(error) : resolve(toPem(publicKey, privateKey)),
    ),
  )

export async function generateAgentKeys(): Promise<AgentKeys> {
  const [identity, encryption] = await Promise.all([ed25519(), rsa()])
  return {
    identityPublicKey: identity.publicKey,
    identityPrivateKey: identity.privateKey,
    encryptionPublicKey: encryption.publicKey,
    encryptionPrivateKey: encryption.privateKey,
  }
}
