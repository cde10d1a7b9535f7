import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { test } from 'node:test'
import { crc32 } from 'node:zlib'
import { ntHash } from '../../../crypto/org-id-hash.ts'
import { rc4 } from '../../../crypto/rc4.ts'
import { encryptHashWithRid } from '../../../crypto/single-des.ts'
import { DrsError } from './drs-error.ts'
import { decryptReplicatedNtHash, decryptReplicatedNtHashHistory, decryptSecretAttribute } from './secret-attribute.ts'

/** Test-only: what a DC does to a secret value (MS-DRSR §4.1.10.5.11). */
function encryptSecret(sessionKey: Buffer, salt: Buffer, data: Buffer): Buffer {
  const key = createHash('md5').update(sessionKey).update(salt).digest()
  const checksum = Buffer.alloc(4)
  checksum.writeUInt32LE(crc32(data))
  return Buffer.concat([salt, rc4(key, Buffer.concat([checksum, data]))])
}

const SESSION_KEY = Buffer.from('000102030405060708090a0b0c0d0e0f', 'hex')
const SALT = Buffer.from('101112131415161718191a1b1c1d1e1f', 'hex')
const isCode = (code: string) => (e: unknown) => DrsError.is(e) && e.code === code

test('a known vector computed independently (openssl des-ecb/rc4 with the legacy provider, Python md5/crc32)', async () => {
  // NT hash of Pa$$w0rd, RID 1104, session key 00..0f, salt 10..1f.
  const payload = Buffer.from('101112131415161718191a1b1c1d1e1fe4bb8e287d5ec498e00bb5d3a277b3f057eab4bd', 'hex')
  const hash = decryptReplicatedNtHash(SESSION_KEY, payload, 1104)
  assert.deepEqual(hash, await ntHash('Pa$$w0rd'))
  // The inner layer alone: the RID-DES-encrypted hash.
  assert.equal(decryptSecretAttribute(SESSION_KEY, payload).toString('hex'), '6114c54dfa03b24f1c3e8302fc641712')
})

test('round trip through the test encryptor, for any RID', async () => {
  const nt = await ntHash('Correct Horse 1!')
  for (const rid of [500, 1104, 0x12345678]) {
    const value = encryptSecret(SESSION_KEY, SALT, encryptHashWithRid(nt, rid))
    assert.deepEqual(decryptReplicatedNtHash(SESSION_KEY, value, rid), nt)
  }
})

test('ntPwdHistory decrypts to each hash in turn', async () => {
  const hashes = [await ntHash('one'), await ntHash('two'), await ntHash('three')]
  const value = encryptSecret(SESSION_KEY, SALT, Buffer.concat(hashes.map((h) => encryptHashWithRid(h, 1200))))
  assert.deepEqual(decryptReplicatedNtHashHistory(SESSION_KEY, value, 1200), hashes)
})

test('a wrong session key or a flipped bit fails the CRC check', async () => {
  const value = encryptSecret(SESSION_KEY, SALT, encryptHashWithRid(await ntHash('x'), 1104))
  const otherKey = Buffer.from(SESSION_KEY)
  otherKey[0] = 0xff
  assert.throws(() => decryptReplicatedNtHash(otherKey, value, 1104), isCode('DRS_SECRET_CHECKSUM_MISMATCH'))
  for (const at of [0, 15, 16, 19, 20, value.length - 1]) {
    const flipped = Buffer.from(value)
    flipped[at]! ^= 0x01
    assert.throws(() => decryptReplicatedNtHash(SESSION_KEY, flipped, 1104), isCode('DRS_SECRET_CHECKSUM_MISMATCH'), `byte ${at}`)
  }
})

test('malformed values and missing keys are typed errors', () => {
  assert.throws(() => decryptSecretAttribute(SESSION_KEY, Buffer.alloc(19)), isCode('DRS_SECRET_MALFORMED'))
  assert.throws(() => decryptSecretAttribute(Buffer.alloc(0), Buffer.alloc(40)), isCode('DRS_SECRET_MALFORMED'))
  const short = encryptSecret(SESSION_KEY, SALT, Buffer.alloc(15))
  assert.throws(() => decryptReplicatedNtHash(SESSION_KEY, short, 1), isCode('DRS_SECRET_MALFORMED'))
  const odd = encryptSecret(SESSION_KEY, SALT, Buffer.alloc(20))
  assert.throws(() => decryptReplicatedNtHashHistory(SESSION_KEY, odd, 1), isCode('DRS_SECRET_MALFORMED'))
  // An empty plaintext is a valid payload: 16-byte salt and an encrypted CRC of nothing.
  assert.equal(decryptSecretAttribute(SESSION_KEY, encryptSecret(SESSION_KEY, SALT, Buffer.alloc(0))).length, 0)
})
