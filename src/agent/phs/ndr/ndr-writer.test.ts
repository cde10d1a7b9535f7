import assert from 'node:assert/strict'
import { test } from 'node:test'
import { NdrEncodeError, NdrWriter, uuidFromBytes, uuidToBytes } from './ndr-writer.ts'

test('primitives are little-endian and aligned to their size', () => {
  const w = new NdrWriter()
  w.u8(1).u16(0x0203).u8(4).u32(0x05060708).u8(9).u64(0x1112131415161718n)
  assert.equal(
    w.finish().toString('hex'),
    '01' + '00' + '0302' + '04' + '000000' + '08070605' + '09' + '000000' + '1817161514131211',
  )
})

test('signed values use two’s complement', () => {
  assert.equal(new NdrWriter().i32(-2).i64(-1n).finish().toString('hex'), 'feffffff' + '00000000' + 'ff'.repeat(8))
})

test('out-of-range values are refused with a typed error', () => {
  assert.throws(() => new NdrWriter().u8(256), NdrEncodeError)
  assert.throws(() => new NdrWriter().u16(-1), NdrEncodeError)
  assert.throws(() => new NdrWriter().u32(2 ** 32), NdrEncodeError)
  assert.throws(() => new NdrWriter().u32(1.5), NdrEncodeError)
  assert.throws(() => new NdrWriter().u64(-1n), NdrEncodeError)
  assert.throws(() => new NdrWriter().contextHandle(Buffer.alloc(19)), NdrEncodeError)
})

test('a UUID is written as { u32, u16, u16, u8[8] } little-endian and round-trips as text', () => {
  const text = 'e3514235-4b06-11d1-ab04-00c04fc2dcd2' // the DRSUAPI interface UUID
  const bytes = uuidToBytes(text)
  assert.equal(bytes.toString('hex'), '354251e3064bd111ab0400c04fc2dcd2')
  assert.equal(uuidFromBytes(bytes), text)
  assert.equal(new NdrWriter().u8(0).uuid(text).finish().toString('hex'), '00000000' + bytes.toString('hex'))
  assert.throws(() => uuidToBytes('not-a-uuid'), NdrEncodeError)
})

test('pointers get fresh nonzero referent ids, NULL is 0', () => {
  const w = new NdrWriter()
  assert.equal(w.pointer(true), true)
  assert.equal(w.pointer(false), false)
  assert.equal(w.pointer(true), true)
  const out = w.finish()
  const a = out.readUInt32LE(0)
  const b = out.readUInt32LE(8)
  assert.notEqual(a, 0)
  assert.notEqual(b, 0)
  assert.notEqual(a, b)
  assert.equal(out.readUInt32LE(4), 0)
})

test('deferred pointees are written depth-first after the construct that embeds them', () => {
  // struct Outer { Inner* a; u32* b } with Inner { u32 v; u32* c }: Outer's scalars, then a's
  // pointee, then a's own pointee c, and only then b's pointee.
  const w = new NdrWriter()
  w.uniquePointer({ v: 0x11, c: 0x33 }, (inner) => {
    w.u32(inner.v)
    w.uniquePointer(inner.c, (c) => w.u32(c))
  })
  w.uniquePointer(0x22, (b) => w.u32(b))
  w.flushDeferred()
  const out = w.finish()
  const words = Array.from({ length: out.length / 4 }, (_, i) => out.readUInt32LE(i * 4))
  assert.equal(words.length, 6)
  assert.deepEqual([words[2], words[4], words[5]], [0x11, 0x33, 0x22])
  assert.notEqual(words[3], 0) // c's referent id inside Inner
})

test('a [string] wchar_t pointee is conformant varying with the NUL counted', () => {
  const out = new NdrWriter().wideString('ab').finish()
  assert.equal(out.toString('hex'), '03000000' + '00000000' + '03000000' + '610062000000')
})

test('conformant and conformant varying byte arrays', () => {
  assert.equal(new NdrWriter().conformantBytes(Buffer.from([1, 2])).finish().toString('hex'), '020000000102')
  assert.equal(
    new NdrWriter().conformantVaryingBytes(Buffer.from([7]), 4).finish().toString('hex'),
    '04000000' + '00000000' + '01000000' + '07',
  )
  assert.throws(() => new NdrWriter().conformantVaryingBytes(Buffer.from([1, 2]), 1), NdrEncodeError)
})

test('the buffer grows past its initial size', () => {
  const w = new NdrWriter()
  for (let i = 0; i < 1000; i++) w.u32(i)
  const out = w.finish()
  assert.equal(out.length, 4000)
  assert.equal(out.readUInt32LE(3996), 999)
})
