import assert from 'node:assert/strict'
import { generateKeyPairSync, randomUUID } from 'node:crypto'
import { describe, it } from 'node:test'
import type { PasswordPackage } from '../protocol/password-operation.ts'
import { openPasswordEnvelope, sealPasswordPackage } from './writeback-envelope.ts'

const rsa = () => {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
  return {
    encryptionPublicKey: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    encryptionPrivateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  }
}
const agentId = randomUUID()
const keys = { agentId, ...rsa() }
const now = 1_800_000_000_000
const pkg = (): PasswordPackage => ({
  trackingId: randomUUID(),
  tenantId: 'tenant-1',
  agentId,
  operation: 'reset',
  expiresAt: now + 60_000,
  cloudAnchor: 'User_1',
  sourceAnchor: 'AAECAwQFBgcICQoLDA0ODw==',
  userPrincipalName: 'ann@contoso.test',
  password: 'Correct-Horse-9-😀',
  unlockUser: true,
  forceChangePasswordNextLogon: false,
})

describe('writeback envelope', () => {
  it('round-trips the package, and the password is not visible in the envelope', () => {
    const original = pkg()
    const envelope = sealPasswordPackage(original, keys.encryptionPublicKey)
    assert.ok(!JSON.stringify(envelope).includes('Correct-Horse'))
    const opened = openPasswordEnvelope(JSON.parse(JSON.stringify(envelope)), keys, now)
    assert.ok(opened.ok)
    assert.deepEqual(opened.value, original)
  })

  it('refuses a changed header, ciphertext or tag as a decryption error (32004)', () => {
    const envelope = sealPasswordPackage(pkg(), keys.encryptionPublicKey)
    const flip = (b64: string) => {
      const bytes = Buffer.from(b64, 'base64')
      bytes[0] = bytes[0]! ^ 1
      return bytes.toString('base64')
    }
    for (const tampered of [
      { ...envelope, header: { ...envelope.header, operation: 'adminReset' as const } },
      { ...envelope, header: { ...envelope.header, expiresAt: envelope.header.expiresAt + 1 } },
      { ...envelope, ciphertext: flip(envelope.ciphertext) },
      { ...envelope, tag: flip(envelope.tag) },
      { ...envelope, wrappedKey: flip(envelope.wrappedKey) },
    ]) {
      const opened = openPasswordEnvelope(tampered, keys, now)
      assert.ok(!opened.ok)
      assert.equal(opened.error.code, 'IDB_ERR_WB_DECRYPTION')
      assert.equal(opened.error.data?.eventId, 32004)
    }
  })

  it('names the key mismatch after a rotation', () => {
    const envelope = sealPasswordPackage(pkg(), keys.encryptionPublicKey)
    const opened = openPasswordEnvelope(envelope, { agentId, ...rsa() }, now)
    assert.ok(!opened.ok)
    assert.equal(opened.error.code, 'IDB_ERR_WB_DECRYPTION')
    assert.match(opened.error.detail ?? '', /sealed for key SHA256:/)
  })

  it('refuses an envelope for another agent, an expired one and a malformed one', () => {
    const other = sealPasswordPackage({ ...pkg(), agentId: randomUUID() }, keys.encryptionPublicKey)
    const a = openPasswordEnvelope(other, keys, now)
    assert.ok(!a.ok && a.error.code === 'IDB_ERR_WB_DECRYPTION')
    const late = openPasswordEnvelope(sealPasswordPackage(pkg(), keys.encryptionPublicKey), keys, now + 60_001)
    assert.ok(!late.ok && late.error.code === 'IDB_ERR_WB_EXPIRED')
    const junk = openPasswordEnvelope({ header: {} }, keys, now)
    assert.ok(!junk.ok && junk.error.code === 'IDB_ERR_WB_INVALID_REQUEST')
  })
})
