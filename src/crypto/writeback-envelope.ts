/** @module Seals a password package for one agent (RSA-OAEP wraps a one-time AES-256-GCM key) and opens it on the agent. */
import { constants, createCipheriv, createDecipheriv, privateDecrypt, publicEncrypt, randomBytes } from 'node:crypto'
import { publicKeyFingerprint } from '../agent/keys/key-fingerprint.ts'
import { IdbridgeError, type Result } from '../errors/idbridge-error.ts'
import {
  type EnvelopeHeader,
  type PasswordEnvelope,
  type PasswordPackage,
  passwordEnvelopeSchema,
  passwordPackageSchema,
} from '../protocol/password-operation.ts'

const OAEP = { padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' } as const

/** The associated data: the header in a fixed key order, so both ends authenticate the same bytes. */
function associatedData(header: EnvelopeHeader): Buffer {
  const { v, trackingId, tenantId, agentId, keyFingerprint, operation, expiresAt } = header
  return Buffer.from(JSON.stringify([v, trackingId, tenantId, agentId, keyFingerprint, operation, expiresAt]))
}

/**
 * Encrypts the whole package for the agent whose public key is given. Only that agent's private key
 * opens it; the relay and the database only ever see the result.
 */
export function sealPasswordPackage(pkg: PasswordPackage, encryptionPublicKey: string): PasswordEnvelope {
  const header: EnvelopeHeader = {
    v: 1,
    trackingId: pkg.trackingId,
    tenantId: pkg.tenantId,
    agentId: pkg.agentId,
    keyFingerprint: publicKeyFingerprint(encryptionPublicKey),
    operation: pkg.operation,
    expiresAt: pkg.expiresAt,
  }
  const key = randomBytes(32)
  const iv = randomBytes(12)
  const cipher = createCipheriv('aes-256-gcm', key, iv)
  cipher.setAAD(associatedData(header))
  const plaintext = Buffer.from(JSON.stringify(passwordPackageSchema.parse(pkg)))
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()])
  plaintext.fill(0)
  const wrappedKey = publicEncrypt({ key: encryptionPublicKey, ...OAEP }, key)
  key.fill(0)
  return {
    header,
    wrappedKey: wrappedKey.toString('base64'),
    iv: iv.toString('base64'),
    ciphertext: ciphertext.toString('base64'),
    tag: cipher.getAuthTag().toString('base64'),
  }
}

export interface EnvelopeKeys {
  readonly agentId: string
  readonly encryptionPublicKey: string
  readonly encryptionPrivateKey: string
}

/**
 * Opens an envelope on the agent. A key mismatch or any tampering is IDB_ERR_WB_DECRYPTION (event
 * 32004); a malformed or inconsistent package IDB_ERR_WB_INVALID_REQUEST; a late one IDB_ERR_WB_EXPIRED.
 */
export function openPasswordEnvelope(body: unknown, keys: EnvelopeKeys, now: number): Result<PasswordPackage> {
  const fail = (code: 'IDB_ERR_WB_DECRYPTION' | 'IDB_ERR_WB_INVALID_REQUEST' | 'IDB_ERR_WB_EXPIRED', detail: string) => ({
    ok: false as const,
    error: new IdbridgeError(code, { detail, data: { eventId: code === 'IDB_ERR_WB_DECRYPTION' ? 32004 : 32003 } }),
  })
  const parsed = passwordEnvelopeSchema.safeParse(body)
  if (!parsed.success) return fail('IDB_ERR_WB_INVALID_REQUEST', `not a password envelope: ${parsed.error.issues[0]?.message}`)
  const { header } = parsed.data
  if (header.agentId !== keys.agentId) return fail('IDB_ERR_WB_DECRYPTION', `sealed for agent ${header.agentId}`)
  const fingerprint = publicKeyFingerprint(keys.encryptionPublicKey)
  if (header.keyFingerprint !== fingerprint) {
    return fail('IDB_ERR_WB_DECRYPTION', `sealed for key ${header.keyFingerprint}, the agent holds ${fingerprint}`)
  }
  let plaintext: Buffer
  try {
    const key = privateDecrypt({ key: keys.encryptionPrivateKey, ...OAEP }, Buffer.from(parsed.data.wrappedKey, 'base64'))
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(parsed.data.iv, 'base64'))
    decipher.setAAD(associatedData(header))
    decipher.setAuthTag(Buffer.from(parsed.data.tag, 'base64'))
    plaintext = Buffer.concat([decipher.update(Buffer.from(parsed.data.ciphertext, 'base64')), decipher.final()])
    key.fill(0)
  } catch {
    return fail('IDB_ERR_WB_DECRYPTION', 'the key unwrap or the authentication tag failed')
  }
  let json: unknown
  try {
    json = JSON.parse(plaintext.toString('utf8'))
  } catch {
    return fail('IDB_ERR_WB_INVALID_REQUEST', 'the package is not JSON')
  } finally {
    plaintext.fill(0)
  }
  const pkg = passwordPackageSchema.safeParse(json)
  if (!pkg.success) return fail('IDB_ERR_WB_INVALID_REQUEST', `bad package: ${pkg.error.issues[0]?.path.join('.')}`)
  const v = pkg.data
  if (
    v.trackingId !== header.trackingId ||
    v.tenantId !== header.tenantId ||
    v.agentId !== header.agentId ||
    v.operation !== header.operation ||
    v.expiresAt !== header.expiresAt
  ) {
    return fail('IDB_ERR_WB_INVALID_REQUEST', 'the sealed metadata disagrees with the header')
  }
  if (now > v.expiresAt) return fail('IDB_ERR_WB_EXPIRED', `expired ${now - v.expiresAt} ms ago`)
  return { ok: true, value: v }
}
