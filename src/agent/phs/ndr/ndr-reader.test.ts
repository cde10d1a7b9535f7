import assert from 'node:assert/strict'
import { test } from 'node:test'
import { NdrDecodeError, NdrReader } from './ndr-reader.ts'
import { NdrWriter } from './ndr-writer.ts'

const malformed = (e: unknown) => NdrDecodeError.is(e) && e.code === 'NDR_MALFORMED'

test('reads back what the writer wrote, alignment included', () => {
  const w = new NdrWriter()
  w.u8(1).u16(0x0203).u32(0xfffffffe).i32(-5).u64(2n ** 63n).i64(-7n)
  w.uuid('e3514235-4b06-11d1-ab04-00c04fc2dcd2').contextHandle(Buffer.alloc(20, 9))
  w.wideString('héllo').asciiString('ncacn_ip_tcp').conformantBytes(Buffer.from('xyz'))
  const r = new NdrReader(w.finish())
  assert.equal(r.u8(), 1)
  assert.equal(r.u16(), 0x0203)
  assert.equal(r.u32(), 0xfffffffe)
  assert.equal(r.i32(), -5)
  assert.equal(r.u64(), 2n ** 63n)
  assert.equal(r.i64(), -7n)
  assert.equal(r.uuid(), 'e3514235-4b06-11d1-ab04-00c04fc2dcd2')
  assert.deepEqual(r.contextHandle(), Buffer.alloc(20, 9))
  assert.equal(r.wideString(), 'héllo')
  assert.equal(r.asciiString(), 'ncacn_ip_tcp')
  assert.equal(r.conformantBytes().toString(), 'xyz')
  r.end()
})

test('deferred pointees are read depth-first like the writer writes them', () => {
  const w = new NdrWriter()
  w.uniquePointer({ v: 0x11, c: 0x33 }, (inner) => {
    w.u32(inner.v)
    w.uniquePointer(inner.c, (c) => w.u32(c))
  })
  w.uniquePointer(null, () => assert.fail('NULL has no pointee'))
  w.uniquePointer(0x22, (b) => w.u32(b))
  const r = new NdrReader(w.finish())
  const got: { inner?: { v: number; c?: number }; nothing?: number; b?: number } = {}
  r.pointer(
    () => {
      const inner: { v: number; c?: number } = { v: r.u32() }
      r.pointer(
        () => r.u32(),
        (c) => (inner.c = c),
      )
      return inner
    },
    (inner) => (got.inner = inner),
  )
  assert.equal(
    r.pointer(
      () => r.u32(),
      (v) => (got.nothing = v),
    ),
    false,
  )
  r.pointer(
    () => r.u32(),
    (b) => (got.b = b),
  )
  r.flushDeferred()
  r.end()
  assert.deepEqual(got, { inner: { v: 0x11, c: 0x33 }, b: 0x22 })
})

test('every short read throws NDR_MALFORMED', () => {
  assert.throws(() => new NdrReader(Buffer.alloc(3)).u32(), malformed)
  assert.throws(() => new NdrReader(Buffer.alloc(7)).u64(), malformed)
  assert.throws(() => new NdrReader(Buffer.alloc(1)).u16(), malformed)
  assert.throws(() => new NdrReader(Buffer.alloc(15)).uuid(), malformed)
  assert.throws(() => new NdrReader(Buffer.alloc(19)).contextHandle(), malformed)
  assert.throws(() => new NdrReader(Buffer.alloc(4)).bytes(5), malformed)
  assert.throws(() => new NdrReader(Buffer.alloc(4)).bytes(-1), malformed)
  assert.throws(() => new NdrReader(Buffer.alloc(1)).end(), malformed)
})

test('counts are checked against the remaining bytes before allocating', () => {
  const huge = new NdrWriter().u32(0xffffffff).finish()
  assert.throws(() => new NdrReader(huge).conformantBytes(), malformed)
  assert.throws(
    () => new NdrReader(huge).conformantArray(1, () => assert.fail('must not read items')),
    malformed,
  )
  const r = new NdrReader(new NdrWriter().u32(3).u32(0).u32(1).finish())
  assert.throws(() => r.count(1, 'x', 2), malformed)
})

test('strings must be NUL-terminated and consistent', () => {
  const noNul = new NdrWriter().u32(1).u32(0).u32(1).bytes(Buffer.from('a\0', 'latin1').subarray(0, 1)).finish()
  assert.throws(() => new NdrReader(noNul).asciiString(), malformed)
  const wideNoNul = new NdrWriter().u32(1).u32(0).u32(1).bytes(Buffer.from('a', 'utf16le')).finish()
  assert.throws(() => new NdrReader(wideNoNul).wideString(), malformed)
  const actualAboveMax = new NdrWriter().u32(1).u32(0).u32(2).bytes(Buffer.alloc(4)).finish()
  assert.throws(() => new NdrReader(actualAboveMax).wideString(), malformed)
  const offset = new NdrWriter().u32(2).u32(1).u32(1).bytes(Buffer.alloc(2)).finish()
  assert.throws(() => new NdrReader(offset).wideString(), malformed)
  const empty = new NdrWriter().u32(0).u32(0).u32(0).finish()
  assert.throws(() => new NdrReader(empty).wideString(), malformed)
})

test('pointee nesting deeper than the limit is refused', () => {
  // A linked list of 50 nodes, each { next*, u32 }, read with a depth limit of 10.
  const w = new NdrWriter()
  const writeNode = (n: number) => {
    w.uniquePointer(n < 49 ? n + 1 : null, writeNode)
    w.u32(n)
  }
  w.uniquePointer(0, writeNode)
  const bytes = w.finish()
  const readList = (r: NdrReader) => {
    const values: number[] = []
    const readNode = (): void => {
      r.pointer(readNode, () => undefined)
      values.push(r.u32())
    }
    r.pointer(readNode, () => undefined)
    r.flushDeferred()
    return values
  }
  assert.equal(readList(new NdrReader(bytes)).length, 50)
  assert.throws(() => readList(new NdrReader(bytes, { maxDepth: 10 })), malformed)
})
