/**
 * @module Decryption of replicated secrets. MS-DRSR §4.1.10.6.17 (DecryptValuesIfNecessary) and
 * §4.1.10.2.20: a secret value is ENCRYPTED_PAYLOAD { Salt[16], CheckSum, EncryptedData[] } where
 * CheckSum and EncryptedData are RC4-encrypted together under MD5(sessionKey || Salt) and
 * CheckSum is the CRC32 of the plaintext. unicodePwd and ntPwdHistory carry one more layer: each
 * 16-byte hash is DES-encrypted with two keys derived from the account's RID (MS-SAMR §2.2.11.1.1
 * and §2.2.11.1.3). Nothing here logs or keeps key material; temporaries are zeroed.
 */
import { createHash } from 'node:crypto'
import { crc32 } from 'node:zlib'
import { rc4 } from '../../../crypto/rc4.ts'
import { decryptHashWithRid } from '../../../crypto/single-des.ts'
import { DrsError } from './drs-error.ts'

const SALT_BYTES = 16
const CHECKSUM_BYTES = 4
const HASH_BYTES = 16

/** Removes the ENCRYPTED_PAYLOAD layer and verifies its CRC32; returns the plaintext value. */
export function decryptSecretAttribute(sessionKey: Uint8Array, value: Uint8Array): Buffer {
  if (sessionKey.length === 0) {
    throw new DrsError('DRS_SECRET_MALFORMED', 'no session key: the RPC connection is not authenticated')
  }
  if (value.length < SALT_BYTES + CHECKSUM_BYTES) {
    const minimum = SALT_BYTES + CHECKSUM_BYTES
    throw new DrsError('DRS_SECRET_MALFORMED', `an encrypted value has at least ${minimum} bytes, got ${value.length}`)
  }
  const key = createHash('md5').update(sessionKey).update(value.subarray(0, SALT_BYTES)).digest()
  const plain = rc4(key, value.subarray(SALT_BYTES))
  key.fill(0)
  const data = Buffer.from(plain.subarray(CHECKSUM_BYTES))
  const matches = plain.readUInt32LE(0) === crc32(data)
  plain.fill(0)
  if (!matches) {
    data.fill(0)
    throw new DrsError(
      'DRS_SECRET_CHECKSUM_MISMATCH',
      'the CRC32 of a decrypted secret does not match: wrong session key or corrupted value',
    )
  }
  return data
}

/** unicodePwd: the 16-byte NT hash, both layers removed. */
export function decryptReplicatedNtHash(sessionKey: Uint8Array, encryptedValue: Uint8Array, rid: number): Buffer {
  const inner = decryptSecretAttribute(sessionKey, encryptedValue)
  try {
    if (inner.length !== HASH_BYTES) {
      throw new DrsError('DRS_SECRET_MALFORMED', `unicodePwd decrypts to ${inner.length} bytes, not ${HASH_BYTES}`)
    }
    return decryptHashWithRid(inner, rid)
  } finally {
    inner.fill(0)
  }
}

/** ntPwdHistory: the NT hashes, newest first, both layers removed. */
export function decryptReplicatedNtHashHistory(
  sessionKey: Uint8Array,
  encryptedValue: Uint8Array,
  rid: number,
): Buffer[] {
  const inner = decryptSecretAttribute(sessionKey, encryptedValue)
  try {
    if (inner.length % HASH_BYTES !== 0) {
      throw new DrsError('DRS_SECRET_MALFORMED', `ntPwdHistory decrypts to ${inner.length} bytes, not n × ${HASH_BYTES}`)
    }
    const hashes: Buffer[] = []
    for (let at = 0; at < inner.length; at += HASH_BYTES) {
      hashes.push(decryptHashWithRid(inner.subarray(at, at + HASH_BYTES), rid))
    }
    return hashes
  } finally {
    inner.fill(0)
  }
}
