import assert from 'node:assert/strict'
import { test } from 'node:test'
import { NdrReader } from '../ndr/ndr-reader.ts'
import { uuidToBytes } from '../ndr/ndr-writer.ts'
import { DrsExtendedOp, INITIAL_SYNC_FLAGS } from './drs-constants.ts'
import { readDsName } from './dsname.ts'
import { encodeGetNcChangesRequest } from './getnc-request.ts'
import { PrefixTable, oidToBer } from './prefix-table.ts'

const CLIENT = '6afab99c-6e2d-4b6c-a2f3-1b8e0c0e0d01'
const INVOCATION = '0a0b0c0d-1111-2222-3333-444455556666'
const OBJECT_GUID = '11223344-5566-7788-99aa-bbccddeeff00'

test('the V8 request: scalars at their NDR offsets, then pointees in field order', () => {
  const table = new PrefixTable([{ index: 9, prefix: oidToBer('1.2.840.113556.1.4') }])
  const stub = encodeGetNcChangesRequest(Buffer.alloc(20, 0xee), {
    clientDsa: CLIENT,
    invocationId: INVOCATION,
    nc: { dn: 'DC=x', guid: OBJECT_GUID },
    usnFrom: { highObjUpdate: 5n, reserved: 6n, highPropUpdate: 7n },
    upToDate: [{ invocationId: INVOCATION, usnHighPropUpdate: 99n }],
    flags: INITIAL_SYNC_FLAGS,
    maxObjects: 400,
    maxBytes: 1000,
    extendedOp: DrsExtendedOp.EXOP_REPL_OBJ,
    fsmoInfo: 0x0102030405060708n,
    partialAttributeSet: [0x9005a, 0x90092],
    prefixTable: table,
    schemaInfo: Buffer.concat([Buffer.from([0xff]), Buffer.alloc(20, 1)]),
  })
  assert.deepEqual(stub.subarray(0, 20), Buffer.alloc(20, 0xee))
  assert.equal(stub.readUInt32LE(20), 8) // dwInVersion
  assert.equal(stub.readUInt32LE(24), 8) // discriminant
  assert.equal(stub.readUInt32LE(28), 0) // padding: the arm aligns to 8
  assert.deepEqual(stub.subarray(32, 48), uuidToBytes(CLIENT))
  assert.deepEqual(stub.subarray(48, 64), uuidToBytes(INVOCATION))
  assert.notEqual(stub.readUInt32LE(64), 0) // pNC: an embedded [ref] still has a referent id
  assert.deepEqual([stub.readBigInt64LE(72), stub.readBigInt64LE(80), stub.readBigInt64LE(88)], [5n, 6n, 7n])
  assert.notEqual(stub.readUInt32LE(96), 0) // pUpToDateVecDest
  assert.equal(stub.readUInt32LE(100), 0x00200030) // DRS_WRIT_REP | DRS_INIT_SYNC | DRS_NEVER_SYNCED
  assert.equal(stub.readUInt32LE(104), 400)
  assert.equal(stub.readUInt32LE(108), 1000)
  assert.equal(stub.readUInt32LE(112), 6) // EXOP_REPL_OBJ
  assert.equal(stub.readBigUInt64LE(120), 0x0102030405060708n)
  assert.notEqual(stub.readUInt32LE(128), 0) // pPartialAttrSet
  assert.equal(stub.readUInt32LE(132), 0) // pPartialAttrSetEx
  assert.equal(stub.readUInt32LE(136), 2) // PrefixCount: the prefix and the schema signature
  assert.notEqual(stub.readUInt32LE(140), 0) // pPrefixEntry

  // Deferred pointees, in field order: DSNAME, UPTODATE_VECTOR_V1_EXT, PARTIAL_ATTR_VECTOR, prefix entries.
  const r = new NdrReader(stub.subarray(144))
  const name = readDsName(r)
  assert.equal(name.dn, 'DC=x')
  assert.deepEqual(name.guid, uuidToBytes(OBJECT_GUID))
  assert.equal(stub.readUInt32LE(148), 56 + 2 * 5) // structLen
  assert.equal(r.u32(), 1) // UTD conformance
  r.align(8)
  assert.deepEqual([r.u32(), r.u32(), r.u32(), r.u32()], [1, 0, 1, 0])
  assert.equal(r.uuid(), INVOCATION)
  assert.equal(r.i64(), 99n)
  assert.deepEqual([r.u32(), r.u32(), r.u32(), r.u32(), r.u32(), r.u32()], [2, 1, 0, 2, 0x9005a, 0x90092])
  assert.equal(r.u32(), 2) // prefix array conformance
  assert.deepEqual([r.u32(), r.u32()], [9, 8]) // ndx, OID_t length
  assert.notEqual(r.u32(), 0) // elements referent
  assert.deepEqual([r.u32(), r.u32()], [0, 21]) // the schema signature entry: ndx 0, 21 bytes
  assert.notEqual(r.u32(), 0)
  assert.equal(r.conformantBytes().toString('hex'), '2a864886f7140104')
  assert.equal(r.conformantBytes().toString('hex'), 'ff' + '01'.repeat(20))
  r.end()
})

test('an empty request leaves the optional pointers NULL', () => {
  const stub = encodeGetNcChangesRequest(Buffer.alloc(20), {
    clientDsa: CLIENT,
    nc: 'DC=x',
    usnFrom: { highObjUpdate: 0n, reserved: 0n, highPropUpdate: 0n },
    flags: 0,
    maxObjects: 1,
    maxBytes: 1,
    extendedOp: 0,
  })
  assert.deepEqual(stub.subarray(48, 64), Buffer.alloc(16)) // NULL invocation id
  for (const at of [96, 128, 132, 136, 140]) assert.equal(stub.readUInt32LE(at), 0, `offset ${at}`)
  assert.equal(stub.length, 144 + 4 + 56 + 2 * 5)
})
