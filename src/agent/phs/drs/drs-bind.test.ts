import assert from 'node:assert/strict'
import { test } from 'node:test'
import { NdrDecodeError } from '../ndr/ndr-reader.ts'
import { uuidToBytes } from '../ndr/ndr-writer.ts'
import { CLIENT_EXT_FLAGS, DrsExtFlags } from './drs-constants.ts'
import { decodeBindReply, decodeUnbindReply, encodeBindRequest, encodeUnbindRequest } from './drs-bind.ts'
import { encodeClientExtensions } from './drs-extensions.ts'
import { fakeBindReply } from './fake-drs-replies.ts'

const CLIENT = '6afab99c-6e2d-4b6c-a2f3-1b8e0c0e0d01'

test('the bind request is two top-level unique pointers, each followed by its pointee', () => {
  const ext = encodeClientExtensions()
  const stub = encodeBindRequest(CLIENT, ext)
  assert.equal(stub.length, 4 + 16 + 4 + 4 + 4 + 48)
  assert.notEqual(stub.readUInt32LE(0), 0)
  assert.deepEqual(stub.subarray(4, 20), uuidToBytes(CLIENT))
  assert.notEqual(stub.readUInt32LE(20), 0)
  assert.equal(stub.readUInt32LE(24), 48) // conformance
  assert.equal(stub.readUInt32LE(28), 48) // cb
  assert.equal(stub.readUInt32LE(32), CLIENT_EXT_FLAGS) // dwFlags
  assert.deepEqual(stub.subarray(36, 52), Buffer.alloc(16)) // SiteObjGuid
  assert.equal(stub.readUInt32LE(60), 0) // dwFlagsExt: no V9 replies asked for
  assert.ok(CLIENT_EXT_FLAGS & DrsExtFlags.STRONG_ENCRYPTION)
  assert.equal(CLIENT_EXT_FLAGS & (DrsExtFlags.GETCHG_DEFLATE | DrsExtFlags.W2K3_DEFLATE), 0)
})

test('the bind reply gives the handle and the server extensions, short or long', () => {
  const handle = Buffer.alloc(20, 0x5a)
  const ext28 = Buffer.alloc(28)
  ext28.writeUInt32LE(0x1fffffff, 0)
  ext28.writeUInt32LE(77, 24)
  const reply = decodeBindReply(fakeBindReply(ext28, handle))
  assert.deepEqual(reply.handle, handle)
  assert.equal(reply.werror, 0)
  assert.equal(reply.serverExtensions?.flags, 0x1fffffff)
  assert.equal(reply.serverExtensions?.replEpoch, 77)
  assert.equal(reply.serverExtensions?.flagsExt, undefined)
  const ext52 = Buffer.alloc(52)
  ext52.writeUInt32LE(0x100, 28)
  ext52.writeUInt32LE(9, 48)
  const long = decodeBindReply(fakeBindReply(ext52, handle))
  assert.equal(long.serverExtensions?.flagsExt, 0x100)
  assert.equal(long.serverExtensions?.extCaps, 9)
  assert.equal(long.serverExtensions?.configObjGuid, '00000000-0000-0000-0000-000000000000')
})

test('a failed bind still decodes, with a NULL extensions pointer and the WERROR', () => {
  const reply = decodeBindReply(fakeBindReply(null, Buffer.alloc(20), 0x2105))
  assert.equal(reply.serverExtensions, undefined)
  assert.equal(reply.werror, 0x2105)
})

test('extensions whose cb disagrees with the conformance are malformed', () => {
  const stub = fakeBindReply(Buffer.alloc(28), Buffer.alloc(20))
  stub.writeUInt32LE(24, 8) // cb
  assert.throws(() => decodeBindReply(stub), NdrDecodeError)
})

test('unbind sends the handle and reads it back zeroed', () => {
  const handle = Buffer.alloc(20, 7)
  assert.deepEqual(encodeUnbindRequest(handle), handle)
  const reply = decodeUnbindReply(Buffer.concat([Buffer.alloc(20), Buffer.from([0, 0, 0, 0])]))
  assert.deepEqual(reply, { handle: Buffer.alloc(20), werror: 0 })
  assert.throws(() => decodeUnbindReply(Buffer.alloc(23)), NdrDecodeError)
})
