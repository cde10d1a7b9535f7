import assert from 'node:assert/strict'
import { test } from 'node:test'
import {
  decryptHashWithRid,
  desEcbDecrypt,
  desEcbEncrypt,
  encryptHashWithRid,
  expandDesKey,
  ridDesKeys,
} from './single-des.ts'

const hex = (s: string) => Buffer.from(s, 'hex')

test('single DES matches the classic worked example and another known vector', () => {
  assert.equal(desEcbEncrypt(hex('133457799BBCDFF1'), hex('0123456789ABCDEF')).toString('hex'), '85e813540f0ab405')
  assert.equal(desEcbEncrypt(hex('0E329232EA6D0D73'), hex('8787878787878787')).toString('hex'), '0000000000000000')
  assert.equal(desEcbDecrypt(hex('133457799BBCDFF1'), hex('85E813540F0AB405')).toString('hex'), '0123456789abcdef')
})

test('DES refuses keys and data of the wrong size', () => {
  assert.throws(() => desEcbEncrypt(Buffer.alloc(7), Buffer.alloc(8)))
  assert.throws(() => desEcbEncrypt(Buffer.alloc(8), Buffer.alloc(12)))
  assert.throws(() => desEcbDecrypt(Buffer.alloc(8), Buffer.alloc(0)))
})

/** MS-SAMR §2.2.11.1.2 written out byte by byte, as the spec states it. */
function specExpand(k: Buffer): Buffer {
  const o = [
    k[0]! >> 1,
    ((k[0]! & 0x01) << 6) | (k[1]! >> 2),
    ((k[1]! & 0x03) << 5) | (k[2]! >> 3),
    ((k[2]! & 0x07) << 4) | (k[3]! >> 4),
    ((k[3]! & 0x0f) << 3) | (k[4]! >> 5),
    ((k[4]! & 0x1f) << 2) | (k[5]! >> 6),
    ((k[5]! & 0x3f) << 1) | (k[6]! >> 7),
    k[6]! & 0x7f,
  ].map((b) => (b << 1) & 0xfe)
  return Buffer.from(o)
}

test('the 7-to-8-byte expansion matches the spec formula and has odd parity', () => {
  for (const k of ['00000000000000', 'ffffffffffffff', 'f4010000f40100', '0123456789abcd', '8040201008040201']) {
    const key = hex(k).subarray(0, 7)
    const out = expandDesKey(key)
    assert.deepEqual(Buffer.from(out.map((b) => b & 0xfe)), specExpand(key))
    for (const b of out) assert.equal(b.toString(2).split('').filter((c) => c === '1').length % 2, 1)
  }
  assert.equal(expandDesKey(hex('ffffffffffffff')).toString('hex'), 'fefefefefefefefe')
  assert.equal(expandDesKey(hex('00000000000000')).toString('hex'), '0101010101010101')
})

test('RID keys follow MS-SAMR §2.2.11.1.3 (hand-derived for RID 500 = 0x000001F4)', () => {
  const [k1, k2] = ridDesKeys(500)
  // I = f4 01 00 00: Key1 = f4 01 00 00 f4 01 00, Key2 = 00 f4 01 00 00 f4 01.
  assert.deepEqual(k1, expandDesKey(hex('f4010000f40100')))
  assert.deepEqual(k2, expandDesKey(hex('00f4010000f401')))
  // Hand expansion of Key1: bits 11110100 00000001 00000000 00000000 11110100 00000001 00000000
  // in groups of seven, shifted left, odd parity added.
  assert.equal(k1.toString('hex'), 'f40140010ea10401')
  assert.throws(() => ridDesKeys(-1))
  assert.throws(() => ridDesKeys(2 ** 32))
})

test('hash encryption with a RID round-trips and depends on the RID', () => {
  const hash = hex('92937945b518814341de3f726500d4ff')
  const encrypted = encryptHashWithRid(hash, 1104)
  assert.notDeepEqual(encrypted, hash)
  assert.deepEqual(decryptHashWithRid(encrypted, 1104), hash)
  assert.notDeepEqual(decryptHashWithRid(encrypted, 1105), hash)
  const [k1, k2] = ridDesKeys(1104)
  assert.deepEqual(encrypted.subarray(0, 8), desEcbEncrypt(k1, hash.subarray(0, 8)))
  assert.deepEqual(encrypted.subarray(8), desEcbEncrypt(k2, hash.subarray(8)))
  assert.throws(() => encryptHashWithRid(Buffer.alloc(15), 1))
})
