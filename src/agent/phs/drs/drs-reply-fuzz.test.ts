import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { test } from 'node:test'
import { crc32 } from 'node:zlib'
import { rc4 } from '../../../crypto/rc4.ts'
import { NdrDecodeError } from '../ndr/ndr-reader.ts'
import { decodeBindReply, decodeUnbindReply } from './drs-bind.ts'
import { decodeCrackNamesReply } from './drs-crack-names.ts'
import { DrsError } from './drs-error.ts'
import { fakeBindReply, fakeCrackNamesReply, fakeGetNcChangesReply } from './fake-drs-replies.ts'
import { UnsupportedReply, decodeGetNcChangesReply } from './getnc-reply.ts'
import { oidToBer } from './prefix-table.ts'
import { toNcChangesPage } from './replicated-object.ts'
import { decryptSecretAttribute } from './secret-attribute.ts'

/** xorshift32: deterministic, so a failure names a reproducible iteration. */
function prng(seed: number): () => number {
  let s = seed >>> 0 || 1
  return () => {
    s ^= s << 13
    s >>>= 0
    s ^= s >>> 17
    s ^= s << 5
    s >>>= 0
    return s
  }
}

const HUGE = [0xffffffff, 0x7fffffff, 0x80000000, 0x10000000, 0x00100001, 0x0000ffff]

function mutate(seed: Buffer, rand: () => number): Buffer {
  const pick = (n: number) => (n <= 0 ? 0 : rand() % n)
  const b = Buffer.from(seed)
  switch (pick(7)) {
    case 0: {
      for (let i = 0, n = 1 + pick(8); i < n && b.length; i++) b[pick(b.length)]! ^= 1 << pick(8)
      return b
    }
    case 1:
      return b.subarray(0, pick(b.length))
    case 2: {
      if (b.length >= 4) b.writeUInt32LE(HUGE[pick(HUGE.length)]!, pick(b.length >> 2) << 2)
      return b
    }
    case 3: {
      const at = pick(b.length)
      return Buffer.concat([b.subarray(0, at), Buffer.from(Array.from({ length: 1 + pick(16) }, () => pick(256))), b.subarray(at)])
    }
    case 4: {
      const at = pick(b.length)
      return Buffer.concat([b.subarray(0, at), b.subarray(at + 1 + pick(16))])
    }
    case 5:
      return Buffer.from(Array.from({ length: pick(512) }, () => pick(256)))
    default: {
      if (b.length >= 4) b.writeUInt32LE(rand() >>> 0, pick(b.length >> 2) << 2)
      return b
    }
  }
}

const getNcSeed = (version: 6 | 9) =>
  fakeGetNcChangesReply({
    version,
    nc: { dn: 'DC=x', guid: '00000000-0000-0000-0000-0000000000aa' },
    upToDate: [{ invocationId: '12345678-0000-0000-0000-000000000000', usnHighPropUpdate: 42n }],
    prefixTable: [
      { index: 9, prefix: oidToBer('1.2.840.113556.1.4') },
      { index: 2, prefix: oidToBer('1.2.840.113556.1.2') },
    ],
    objects: Array.from({ length: 3 }, (_, i) => ({
      name: { dn: `CN=u${i},DC=x`, sid: Buffer.from([1, 1, 0, 0, 0, 0, 0, 5, i, 0, 0, 0]) },
      attributes: [
        { attid: 0x9005a, values: [Buffer.alloc(36, i)] },
        { attid: 0x20030, values: [Buffer.from([1, 0, 0, 0]), Buffer.alloc(0)] },
      ],
      parentGuid: '99999999-0000-0000-0000-000000000000',
      metaData: [{ version: 1, timeChanged: 2n, originatingInvocationId: '12345678-0000-0000-0000-000000000000', usnOriginating: 3n }],
    })),
    linkedValues: [{ object: 'CN=g,DC=x', attid: 0x1f, value: Buffer.from('member'), isPresent: true }],
  })

const SESSION_KEY = Buffer.alloc(16, 1)

function encryptedSeed(): Buffer {
  const salt = Buffer.alloc(16, 5)
  const data = Buffer.alloc(16, 7)
  const checksum = Buffer.alloc(4)
  checksum.writeUInt32LE(crc32(data))
  return Buffer.concat([salt, rc4(createHash('md5').update(SESSION_KEY).update(salt).digest(), Buffer.concat([checksum, data]))])
}

/** Decodes and converts to the page callers see, so the prefix-table lookups are fuzzed too. */
function decodePage(b: Buffer): unknown {
  const reply = decodeGetNcChangesReply(b)
  return reply instanceof UnsupportedReply ? reply : toNcChangesPage(reply, 6)
}

const decoders: Array<{ name: string; seed: Buffer; decode: (b: Buffer) => unknown; allowed?: (e: unknown) => boolean }> = [
  { name: 'IDL_DRSBind reply', seed: fakeBindReply(Buffer.alloc(48, 1), Buffer.alloc(20, 2)), decode: decodeBindReply },
  { name: 'IDL_DRSUnbind reply', seed: Buffer.alloc(24), decode: decodeUnbindReply },
  {
    name: 'IDL_DRSCrackNames reply',
    seed: fakeCrackNamesReply([{ status: 0, domain: 'x.test', name: 'DC=x,DC=test' }, { status: 2 }, { status: 0, name: '{g}' }]),
    decode: decodeCrackNamesReply,
    allowed: (e) => DrsError.is(e) && e.code === 'DRS_REPLY_UNSUPPORTED',
  },
  { name: 'IDL_DRSGetNCChanges V6 reply', seed: getNcSeed(6), decode: decodePage },
  { name: 'IDL_DRSGetNCChanges V9 reply', seed: getNcSeed(9), decode: decodePage },
  {
    name: 'ENCRYPTED_PAYLOAD',
    seed: encryptedSeed(),
    decode: (b) => decryptSecretAttribute(SESSION_KEY, b),
    allowed: (e) => DrsError.is(e) && (e.code === 'DRS_SECRET_CHECKSUM_MISMATCH' || e.code === 'DRS_SECRET_MALFORMED'),
  },
]

const ITERATIONS = 3000

for (const { name, seed, decode, allowed } of decoders) {
  test(`fuzz: the ${name} decoder only ever throws its typed error (${ITERATIONS} mutations)`, () => {
    decode(seed) // the seed itself is valid
    const rand = prng(0x9e3779b9 ^ seed.length)
    const started = Date.now()
    let rejected = 0
    for (let i = 0; i < ITERATIONS; i++) {
      const input = mutate(seed, rand)
      const t0 = Date.now()
      try {
        decode(input)
      } catch (e) {
        rejected++
        if (!(NdrDecodeError.is(e) && e.code === 'NDR_MALFORMED') && !allowed?.(e)) {
          assert.fail(`iteration ${i}: unexpected ${String(e)} for ${input.toString('hex').slice(0, 200)}`)
        }
      }
      assert.ok(Date.now() - t0 < 1000, `iteration ${i} took too long`)
    }
    assert.ok(rejected > 0, 'the mutations must reach the error paths')
    assert.ok(Date.now() - started < 10_000, 'the fuzz run must stay bounded')
  })
}
