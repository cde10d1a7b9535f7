import assert from 'node:assert/strict'
import { test } from 'node:test'
import { Rc4, rc4 } from './rc4.ts'

// RFC 6229 §2, keys 0x0102..., keystream bytes at the given offsets (16 bytes each).
const vectors: Record<string, Record<number, string>> = {
  '0102030405': {
    0: 'b2396305f03dc027ccc3524a0a1118a8',
    16: '6982944f18fc82d589c403a47a0d0919',
    240: '28cb1132c96ce286421dcaadb8b69eae',
    256: '1cfcf62b03eddb641d77dfcf7f8d8c93',
    1520: '3294f744d8f9790507e70f62e5bbceea',
    1536: 'd8729db41882259bee4f825325f5a130',
    4080: '068326a2118416d21f9d04b2cd1ca050',
  },
  '01020304050607': {
    0: '293f02d47f37c9b633f2af5285feb46b',
    16: 'e620f1390d19bd84e2e0fd752031afc1',
    240: '914f02531c9218810df60f67e338154c',
    256: 'd0fdb583073ce85ab83917740ec011d5',
    1520: 'd2aa902bd42d0d7cfd340cd45810529f',
    1536: '78b272c96e42eab4c60bd914e39d06e3',
    4080: 'f3172ceffc3b3d997c85ccd5af1a950c',
  },
  '0102030405060708': {
    0: '97ab8a1bf0afb96132f2f67258da15a8',
    16: '8263efdb45c4a18684ef87e6b19e5b09',
    240: '9636ebc9841926f4f7d1f362bddf6e18',
    256: 'd0a990ff2c05fef5b90373c9ff4b870a',
    1520: '1fe8986713f07c3d9ae1c163ff8cf9d3',
    1536: '8369e1a965610be887fbd0c79162aafb',
    4080: 'd5fa5a3469d29aaaf83d23589db8c85b',
  },
  '0102030405060708090a0b0c0d0e0f10': {
    0: '9ac7cc9a609d1ef7b2932899cde41b97',
    16: '5248c4959014126a6e8a84f11d1a9e1c',
    240: '065902e4b620f6cc36c8589f66432f2b',
    256: 'd39d566bc6bce3010768151549f3873f',
    1520: 'b40110c4190b5622a96116b0017ed297',
    1536: 'ffa0b514647ec04f6306b892ae661181',
    4080: 'ff38265c1642c1abe8d3c2fe5e572bf8',
  },
  '0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20': {
    0: 'eaa6bd25880bf93d3f5d1e4ca2611d91',
    16: 'cfa45c9f7e714b54bdfa80027cb14380',
    240: '114ae344ded71b35f2e60febad727fd8',
    256: '02e1e7056b0f623900496422943e97b6',
    1520: '40f250b26d1f096a4afd4c340a588815',
    1536: '3e34135c79db010200767651cf263073',
    4080: 'a13a7c79c7e119b5ab0296ab28c300b9',
  },
}

for (const [key, blocks] of Object.entries(vectors)) {
  test(`RFC 6229 keystream for the ${(key.length / 2) * 8}-bit key`, () => {
    const keystream = rc4(Buffer.from(key, 'hex'), Buffer.alloc(4096))
    for (const [offset, expected] of Object.entries(blocks)) {
      const at = Number(offset)
      assert.equal(keystream.subarray(at, at + 16).toString('hex'), expected, `offset ${offset}`)
    }
  })
}

test('the keystream continues across update calls', () => {
  const key = Buffer.from('0102030405', 'hex')
  const whole = rc4(key, Buffer.alloc(4096))
  const stream = new Rc4(key)
  const parts: Buffer[] = []
  for (const size of [1, 15, 16, 208, 0, 3, 1277, 2576]) parts.push(stream.update(Buffer.alloc(size)))
  assert.deepEqual(Buffer.concat(parts), whole)
  // Offset 4080 is reached only if every call advanced the same keystream.
  assert.equal(whole.subarray(4080, 4096).toString('hex'), '068326a2118416d21f9d04b2cd1ca050')
})

test('encryption and decryption are the same operation', () => {
  const key = Buffer.from('secret key')
  const plaintext = Buffer.from('the quick brown fox')
  assert.deepEqual(rc4(key, rc4(key, plaintext)), plaintext)
})

test('keys outside 1..256 bytes are refused', () => {
  assert.throws(() => new Rc4(Buffer.alloc(0)))
  assert.throws(() => new Rc4(Buffer.alloc(257)))
})
