import assert from 'node:assert/strict'
import { test } from 'node:test'
import { NdrDecodeError } from '../ndr/ndr-reader.ts'
import { DsNameFormat } from './drs-constants.ts'
import { decodeCrackNamesReply, encodeCrackNamesRequest } from './drs-crack-names.ts'
import { DrsError } from './drs-error.ts'
import { fakeCrackNamesReply } from './fake-drs-replies.ts'

test('the request layout, byte by byte, for one name', () => {
  const handle = Buffer.alloc(20, 1)
  const stub = encodeCrackNamesRequest(handle, ['a'], DsNameFormat.DS_FQDN_1779_NAME, DsNameFormat.DS_UNIQUE_ID_NAME)
  const words = (from: number, to: number) => Array.from({ length: (to - from) / 4 }, (_, i) => stub.readUInt32LE(from + 4 * i))
  assert.equal(stub.length, 80)
  assert.deepEqual(stub.subarray(0, 20), handle)
  // dwInVersion, discriminant, CodePage, LocaleId, dwFlags, formatOffered, formatDesired, cNames
  assert.deepEqual(words(20, 52), [1, 1, 0, 0, 0, 1, 6, 1])
  assert.notEqual(stub.readUInt32LE(52), 0) // rpNames referent
  assert.equal(stub.readUInt32LE(56), 1) // array conformance
  assert.notEqual(stub.readUInt32LE(60), 0) // element referent
  assert.deepEqual(words(64, 76), [2, 0, 2]) // string max, offset, actual (with NUL)
  assert.equal(stub.subarray(76, 80).toString('hex'), '61000000')
})

test('name counts outside 1..10000 are refused', () => {
  assert.throws(() => encodeCrackNamesRequest(Buffer.alloc(20), [], 1, 6), DrsError)
})

test('the reply keeps item order and NULL strings', () => {
  const stub = fakeCrackNamesReply([
    { status: 0, domain: 'example.test', name: '{6afab99c-6e2d-4b6c-a2f3-1b8e0c0e0d01}' },
    { status: 2 },
    { status: 0, name: 'DC=example,DC=test' },
  ])
  const reply = decodeCrackNamesReply(stub)
  assert.equal(reply.werror, 0)
  assert.deepEqual(reply.items, [
    { status: 0, domain: 'example.test', name: '{6afab99c-6e2d-4b6c-a2f3-1b8e0c0e0d01}' },
    { status: 2 },
    { status: 0, name: 'DC=example,DC=test' },
  ])
})

test('a reply whose item count disagrees with cItems is malformed', () => {
  const stub = fakeCrackNamesReply([{ status: 0, name: 'x' }])
  stub.writeUInt32LE(2, 12) // cItems
  assert.throws(() => decodeCrackNamesReply(stub), NdrDecodeError)
})

test('an unknown reply version with a WERROR reports the WERROR; without one it is unsupported', () => {
  const failed = Buffer.alloc(16)
  failed.writeUInt32LE(2, 0)
  failed.writeUInt32LE(0x57, 12)
  assert.equal(decodeCrackNamesReply(failed).werror, 0x57)
  failed.writeUInt32LE(0, 12)
  assert.throws(() => decodeCrackNamesReply(failed), (e) => DrsError.is(e) && e.code === 'DRS_REPLY_UNSUPPORTED')
})
