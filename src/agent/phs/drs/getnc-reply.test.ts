import assert from 'node:assert/strict'
import { test } from 'node:test'
import { NdrDecodeError } from '../ndr/ndr-reader.ts'
import { uuidToBytes } from '../ndr/ndr-writer.ts'
import { fakeGetNcChangesReply } from './fake-drs-replies.ts'
import { type GetNcChangesReply, UnsupportedReply, decodeGetNcChangesReply } from './getnc-reply.ts'
import { AttributeOid, oidToBer } from './prefix-table.ts'

const INVOCATION = '12345678-0000-0000-0000-000000000000'

function decoded(stub: Buffer): GetNcChangesReply {
  const reply = decodeGetNcChangesReply(stub)
  assert.ok(!(reply instanceof UnsupportedReply))
  return reply
}

/** A V6 reply laid out by hand, offset by offset, independent of NdrWriter. */
function handBuiltReply(): Buffer {
  const b = Buffer.alloc(312)
  const u32 = (at: number, v: number) => b.writeUInt32LE(v, at)
  u32(0, 6) // pdwOutVersion
  u32(4, 6) // discriminant; the arm starts at 8
  b.fill(0xaa, 8, 24) // uuidDsaObjSrc
  b.fill(0xbb, 24, 40) // uuidInvocIdSrc
  // 40 pNC NULL, 44..48 padding, 48..72 usnvecFrom
  b.writeBigInt64LE(0x1234n, 72) // usnvecTo.usnHighObjUpdate
  b.writeBigInt64LE(0x1235n, 88) // usnvecTo.usnHighPropUpdate
  // 96 pUpToDateVecSrc NULL
  u32(100, 1) // PrefixCount
  u32(104, 0x11110000) // pPrefixEntry (A)
  u32(108, 0) // ulExtendedRet
  u32(112, 1) // cNumObjects
  u32(120, 0x22220000) // pObjects (B)
  u32(124, 1) // fMoreData
  // 128..144 NC size counts, cNumValues, rgValues NULL; 144 dwDRSError
  // A: prefix entry array
  u32(148, 1)
  u32(152, 9)
  u32(156, 8)
  u32(160, 0x33330000) // elements (C), deferred after the array
  u32(164, 8)
  oidToBer('1.2.840.113556.1.4').copy(b, 168)
  // B: REPLENTINFLIST { next NULL, pName (D), ulFlags, attrCount, pAttr (E), fIsNCPrefix, pParentGuid, pMetaDataExt }
  u32(180, 0x44440000)
  u32(184, 1)
  u32(188, 1)
  u32(192, 0x55550000)
  // D: DSNAME for "X"
  u32(208, 2)
  u32(212, 60)
  b.fill(0xcc, 220, 236) // Guid
  u32(264, 1)
  b.write('X\0', 268, 'utf16le')
  // E: ATTR array { attrTyp, valCount, pAVal (F) }
  u32(272, 1)
  u32(276, 0x0009005a)
  u32(280, 1)
  u32(284, 0x66660000)
  // F: ATTRVAL array { valLen, pVal (G) }
  u32(288, 1)
  u32(292, 3)
  u32(296, 0x77770000)
  // G: the value bytes
  u32(300, 3)
  b.set([1, 2, 3], 304)
  // 307 padding, 308 return value 0
  return b
}

test('a hand-laid V6 reply decodes field by field', () => {
  const reply = decoded(handBuiltReply())
  assert.equal(reply.version, 6)
  assert.equal(reply.serverDsa, 'aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa')
  assert.equal(reply.usnTo.highObjUpdate, 0x1234n)
  assert.equal(reply.usnTo.highPropUpdate, 0x1235n)
  assert.equal(reply.moreData, true)
  assert.equal(reply.entries.length, 1)
  const [entry] = reply.entries
  assert.equal(entry?.name?.dn, 'X')
  assert.deepEqual(entry?.name?.guid, Buffer.alloc(16, 0xcc))
  assert.deepEqual(entry?.attributes, [{ attid: 0x9005a, values: [Buffer.from([1, 2, 3])] }])
  assert.equal(reply.prefixTable.oidFromAttid(0x9005a), AttributeOid.unicodePwd)
  assert.equal(reply.werror, 0)
})

test('the fake DC encoder and the decoder agree on a rich V6 and V9 reply', () => {
  for (const version of [6, 9] as const) {
    const objects = Array.from({ length: 5 }, (_, i) => ({
      name: {
        dn: `CN=u${i},DC=x`,
        guid: `00000000-0000-0000-0000-00000000000${i}`,
        sid: Buffer.from([1, 1, 0, 0, 0, 0, 0, 5, i, 0, 0, 0]),
      },
      attributes: [
        { attid: 0x9005a, values: [Buffer.alloc(36, i)] },
        { attid: 0x900dd, values: [Buffer.from(`u${i}`, 'utf16le')] },
        { attid: 0x80001234, values: [] },
      ],
      parentGuid: '99999999-0000-0000-0000-000000000000',
      metaData: [1, 2, 3].map((v) => ({
        version: v,
        timeChanged: 10n,
        originatingInvocationId: INVOCATION,
        usnOriginating: 20n,
      })),
      isNcPrefix: i === 0,
    }))
    const reply = decoded(
      fakeGetNcChangesReply({
        version,
        nc: { dn: 'DC=x', guid: '00000000-0000-0000-0000-0000000000aa' },
        usnTo: { highObjUpdate: 10n, reserved: 0n, highPropUpdate: 11n },
        upToDate: [{ invocationId: INVOCATION, usnHighPropUpdate: 42n, timeLastSyncSuccess: 7n }],
        prefixTable: [{ index: 9, prefix: oidToBer('1.2.840.113556.1.4') }],
        objects,
        linkedValues: [{ object: 'CN=g,DC=x', attid: 0x1f, value: Buffer.from('member'), isPresent: true }],
        extendedResult: 1,
      }),
    )
    assert.equal(reply.version, version)
    assert.equal(reply.nc?.dn, 'DC=x')
    assert.deepEqual(reply.upToDate, [{ invocationId: INVOCATION, usnHighPropUpdate: 42n, timeLastSyncSuccess: 7n }])
    assert.equal(reply.entries.length, 5)
    reply.entries.forEach((e, i) => {
      assert.equal(e.name?.dn, `CN=u${i},DC=x`)
      assert.deepEqual(e.name?.guid, uuidToBytes(`00000000-0000-0000-0000-00000000000${i}`))
      assert.equal(e.name?.sid?.[8], i)
      assert.deepEqual(e.attributes[0]?.values, [Buffer.alloc(36, i)])
      assert.equal(e.attributes[1]?.values[0]?.toString('utf16le'), `u${i}`)
      assert.deepEqual(e.attributes[2], { attid: 0x80001234, values: [] })
      assert.equal(e.metaData?.length, 3)
      assert.equal(e.isNcPrefix, i === 0)
    })
    assert.equal(reply.linkedValues.length, 1)
    assert.equal(reply.linkedValues[0]?.object?.dn, 'CN=g,DC=x')
    assert.equal(reply.linkedValues[0]?.value.toString(), 'member')
    assert.equal(reply.extendedResult, 1)
  }
})

test('a long object list decodes without deep recursion', () => {
  const objects = Array.from({ length: 3000 }, (_, i) => ({ name: `CN=${i}`, attributes: [] }))
  const reply = decoded(fakeGetNcChangesReply({ objects }))
  assert.equal(reply.entries.length, 3000)
  assert.equal(reply.entries[2999]?.name?.dn, 'CN=2999')
})

test('error and compressed replies are reported, not decoded', () => {
  const failed = Buffer.alloc(8 + 80 + 4)
  failed.writeUInt32LE(1, 0)
  failed.writeUInt32LE(1, 4)
  failed.writeUInt32LE(0x20f7, failed.length - 4)
  const reply = decodeGetNcChangesReply(failed)
  assert.ok(reply instanceof UnsupportedReply)
  assert.equal(reply.version, 1)
  assert.equal(reply.werror, 0x20f7)
})

test('inconsistent counts and truncations are malformed', () => {
  const stub = handBuiltReply()
  const mutations: Array<(b: Buffer) => Buffer> = [
    (b) => (b.writeUInt32LE(2, 100), b), // PrefixCount disagrees with the array
    (b) => (b.writeUInt32LE(9, 4), b), // discriminant disagrees with the version
    (b) => (b.writeUInt32LE(3, 208), b), // DSNAME conformance is not NameLen + 1
    (b) => (b.writeUInt32LE(2, 188), b), // attrCount disagrees
    (b) => (b.writeUInt32LE(4, 292), b), // valLen disagrees with the bytes
    (b) => (b.writeUInt32LE(0xffffffff, 300), b), // huge conformance
    (b) => (b.writeUInt32LE(5, 136), b), // cNumValues with a NULL rgValues
    (b) => b.subarray(0, 250),
    (b) => b.subarray(0, 310),
    (b) => Buffer.concat([b, Buffer.alloc(64)]),
  ]
  for (const [i, mutate] of mutations.entries()) {
    assert.throws(() => decodeGetNcChangesReply(mutate(Buffer.from(stub))), NdrDecodeError, `mutation ${i}`)
  }
})
