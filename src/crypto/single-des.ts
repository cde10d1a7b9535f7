/**
 * @module Single DES (FIPS 46/81) for the one place the DRS secret layer still needs it: the
 * per-RID obfuscation of NT hashes (MS-SAMR §2.2.11.1). OpenSSL 3 moved `des-ecb` to the legacy
 * provider, which we do not load; `des-ede3-ecb` with K1 = K2 = K3 is E(K, D(K, E(K, x))) = E(K, x),
 * so it is exactly single DES and stays in the default provider.
 */
import { createCipheriv, createDecipheriv } from 'node:crypto'

const BLOCK = 8

function tripleKey(key: Uint8Array): Buffer {
  if (key.length !== 8) throw new Error(`a DES key has 8 bytes, got ${key.length}`)
  return Buffer.concat([key, key, key])
}

function checkBlocks(data: Uint8Array): void {
  if (data.length === 0 || data.length % BLOCK !== 0) {
    throw new Error(`DES-ECB needs whole 8-byte blocks, got ${data.length} bytes`)
  }
}

/** DES-ECB encryption of whole blocks without padding. */
export function desEcbEncrypt(key: Uint8Array, data: Uint8Array): Buffer {
  checkBlocks(data)
  const cipher = createCipheriv('des-ede3-ecb', tripleKey(key), null).setAutoPadding(false)
  return Buffer.concat([cipher.update(data), cipher.final()])
}

/** DES-ECB decryption of whole blocks without padding. */
export function desEcbDecrypt(key: Uint8Array, data: Uint8Array): Buffer {
  checkBlocks(data)
  const decipher = createDecipheriv('des-ede3-ecb', tripleKey(key), null).setAutoPadding(false)
  return Buffer.concat([decipher.update(data), decipher.final()])
}

/**
 * MS-SAMR §2.2.11.1.2: spreads 56 key bits over 8 bytes, seven bits each in the high bits, and
 * sets the low bit of every byte to odd parity (DES ignores it, but it is the documented key).
 */
export function expandDesKey(key7: Uint8Array): Buffer {
  if (key7.length !== 7) throw new Error(`a 56-bit DES key has 7 bytes, got ${key7.length}`)
  const out = Buffer.alloc(8)
  let bits = 0n
  for (const byte of key7) bits = (bits << 8n) | BigInt(byte)
  for (let i = 0; i < 8; i++) {
    const seven = Number((bits >> BigInt(49 - 7 * i)) & 0x7fn)
    let ones = 0
    for (let b = seven; b; b >>= 1) ones += b & 1
    out[i] = (seven << 1) | (ones % 2 === 0 ? 1 : 0)
  }
  return out
}

/**
 * MS-SAMR §2.2.11.1.3: the two 7-byte keys made from a little-endian 32-bit integer (a RID):
 * Key1 = I0 I1 I2 I3 I0 I1 I2 and Key2 = I3 I0 I1 I2 I3 I0 I1.
 */
export function ridDesKeys(rid: number): [Buffer, Buffer] {
  if (!Number.isInteger(rid) || rid < 0 || rid > 0xffffffff) {
    throw new Error(`a RID is an unsigned 32-bit integer, got ${rid}`)
  }
  const i = Buffer.alloc(4)
  i.writeUInt32LE(rid)
  const key1 = Buffer.from([i[0]!, i[1]!, i[2]!, i[3]!, i[0]!, i[1]!, i[2]!])
  const key2 = Buffer.from([i[3]!, i[0]!, i[1]!, i[2]!, i[3]!, i[0]!, i[1]!])
  return [expandDesKey(key1), expandDesKey(key2)]
}

/** MS-SAMR §2.2.11.1.1 with a RID key: the first 8 bytes under Key1, the last 8 under Key2. */
export function encryptHashWithRid(hash: Uint8Array, rid: number): Buffer {
  if (hash.length !== 16) throw new Error(`an NT or LM hash has 16 bytes, got ${hash.length}`)
  const [key1, key2] = ridDesKeys(rid)
  return Buffer.concat([desEcbEncrypt(key1, hash.subarray(0, 8)), desEcbEncrypt(key2, hash.subarray(8, 16))])
}

/** The inverse of encryptHashWithRid. */
export function decryptHashWithRid(encrypted: Uint8Array, rid: number): Buffer {
  if (encrypted.length !== 16) throw new Error(`an encrypted hash has 16 bytes, got ${encrypted.length}`)
  const [key1, key2] = ridDesKeys(rid)
  return Buffer.concat([desEcbDecrypt(key1, encrypted.subarray(0, 8)), desEcbDecrypt(key2, encrypted.subarray(8, 16))])
}
