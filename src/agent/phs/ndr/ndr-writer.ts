/**
 * @module NDR 2.0 encoding (C706 ch. 14, MS-RPCE §2.2.5), little-endian, ASCII, IEEE floats: what a
 * DCE/RPC request stub needs. Primitives align to their own size. Embedded pointers write a
 * referent id in place and their pointee later: `defer()` queues the pointee, and
 * `flushDeferred()` writes the queue depth-first (a pointee's own embedded pointees follow it,
 * before the next sibling's pointee), which is what a top-level parameter does when it ends.
 */
import { DeferredPointees } from './deferred-pointees.ts'

/** A caller passed a value the wire format cannot carry: a bug in the caller, not bad input. */
export class NdrEncodeError extends Error {
  readonly code = 'NDR_ENCODE_INVALID'

  constructor(message: string) {
    super(message)
    this.name = 'NdrEncodeError'
  }
}

const FIRST_REFERENT_ID = 0x00020000
const GUID_TEXT = /^([0-9a-f]{8})-([0-9a-f]{4})-([0-9a-f]{4})-([0-9a-f]{4})-([0-9a-f]{12})$/i

/** The 16-byte NDR (and Windows GUID) layout of a textual UUID: the first three fields little-endian. */
export function uuidToBytes(text: string): Buffer {
  const m = GUID_TEXT.exec(text)
  if (!m) throw new NdrEncodeError(`not a UUID: ${JSON.stringify(text)}`)
  const out = Buffer.alloc(16)
  out.writeUInt32LE(Number.parseInt(m[1]!, 16), 0)
  out.writeUInt16LE(Number.parseInt(m[2]!, 16), 4)
  out.writeUInt16LE(Number.parseInt(m[3]!, 16), 6)
  Buffer.from(m[4]! + m[5]!, 'hex').copy(out, 8)
  return out
}

/** The inverse of uuidToBytes, lower-case. */
export function uuidFromBytes(bytes: Uint8Array): string {
  if (bytes.length !== 16) throw new NdrEncodeError(`a UUID has 16 bytes, got ${bytes.length}`)
  const b = Buffer.from(bytes)
  const hex = (n: number, width: number) => n.toString(16).padStart(width, '0')
  return [
    hex(b.readUInt32LE(0), 8),
    hex(b.readUInt16LE(4), 4),
    hex(b.readUInt16LE(6), 4),
    b.subarray(8, 10).toString('hex'),
    b.subarray(10, 16).toString('hex'),
  ].join('-')
}

function checkInt(value: number, min: number, max: number, what: string): void {
  if (!Number.isInteger(value) || value < min || value > max) throw new NdrEncodeError(`${what} out of range: ${value}`)
}

export class NdrWriter {
  #buf = Buffer.alloc(256)
  #len = 0
  #nextReferent = FIRST_REFERENT_ID
  /** The pointees queued by the construct being written now. */
  readonly #pending = new DeferredPointees()

  /** Bytes written so far. */
  get length(): number {
    return this.#len
  }

  #reserve(n: number): number {
    const at = this.#len
    if (at + n > this.#buf.length) {
      let size = this.#buf.length * 2
      while (size < at + n) size *= 2
      const next = Buffer.alloc(size)
      this.#buf.copy(next, 0, 0, at)
      this.#buf = next
    }
    this.#len = at + n
    return at
  }

  /** Pads with zero bytes up to a multiple of `n` (1, 2, 4 or 8). */
  align(n: number): this {
    const pad = (n - (this.#len % n)) % n
    if (pad) {
      const at = this.#reserve(pad)
      this.#buf.fill(0, at, this.#len)
    }
    return this
  }

  u8(v: number): this {
    checkInt(v, 0, 0xff, 'u8')
    const at = this.#reserve(1)
    this.#buf.writeUInt8(v, at)
    return this
  }

  u16(v: number): this {
    checkInt(v, 0, 0xffff, 'u16')
    this.align(2)
    const at = this.#reserve(2)
    this.#buf.writeUInt16LE(v, at)
    return this
  }

  u32(v: number): this {
    checkInt(v, 0, 0xffffffff, 'u32')
    this.align(4)
    const at = this.#reserve(4)
    this.#buf.writeUInt32LE(v, at)
    return this
  }

  i32(v: number): this {
    checkInt(v, -0x80000000, 0x7fffffff, 'i32')
    this.align(4)
    const at = this.#reserve(4)
    this.#buf.writeInt32LE(v, at)
    return this
  }

  /** An 8-byte hyper, aligned to 8. */
  u64(v: bigint): this {
    if (v < 0n || v > 0xffffffffffffffffn) throw new NdrEncodeError(`u64 out of range: ${v}`)
    this.align(8)
    const at = this.#reserve(8)
    this.#buf.writeBigUInt64LE(v, at)
    return this
  }

  i64(v: bigint): this {
    if (v < -0x8000000000000000n || v > 0x7fffffffffffffffn) throw new NdrEncodeError(`i64 out of range: ${v}`)
    this.align(8)
    const at = this.#reserve(8)
    this.#buf.writeBigInt64LE(v, at)
    return this
  }

  /** Raw bytes with no alignment (a byte array's elements, or already-encoded data). */
  bytes(data: Uint8Array): this {
    const at = this.#reserve(data.length)
    Buffer.from(data.buffer, data.byteOffset, data.byteLength).copy(this.#buf, at)
    return this
  }

  /** A UUID/GUID: { u32, u16, u16, u8[8] }, aligned to 4. Text is converted, 16 bytes are copied as they are. */
  uuid(v: string | Uint8Array): this {
    const bytes = typeof v === 'string' ? uuidToBytes(v) : v
    if (bytes.length !== 16) throw new NdrEncodeError(`a UUID has 16 bytes, got ${bytes.length}`)
    this.align(4)
    return this.bytes(bytes)
  }

  /** A context handle: { u32 attributes, UUID }, 20 bytes, aligned to 4. */
  contextHandle(handle: Uint8Array): this {
    if (handle.length !== 20) throw new NdrEncodeError(`a context handle has 20 bytes, got ${handle.length}`)
    this.align(4)
    return this.bytes(handle)
  }

  /** A unique/full pointer's referent id: a fresh nonzero id when present, 0 (NULL) otherwise. */
  pointer(present: boolean): boolean {
    if (!present) {
      this.u32(0)
      return false
    }
    this.u32(this.#nextReferent)
    this.#nextReferent += 4
    return true
  }

  /**
   * An embedded unique pointer: the referent id now, the pointee when the enclosing construct is
   * flushed. `undefined` and `null` are NULL.
   */
  uniquePointer<T>(value: T | undefined | null, writePointee: (value: T) => void): this {
    if (this.pointer(value !== undefined && value !== null)) this.defer(() => writePointee(value as T))
    return this
  }

  /** Queues a pointee behind the construct being written. */
  defer(writePointee: () => void): this {
    this.#pending.add(writePointee)
    return this
  }

  /**
   * Writes every queued pointee, depth-first: each pointee's own deferred pointees are written
   * right after it. Call it where a top-level construct (an operation parameter) ends.
   */
  flushDeferred(): this {
    this.#pending.flush()
    return this
  }

  /** The conformance (maximum count) of a conformant array or the header of a conformant struct. */
  maxCount(n: number): this {
    return this.u32(n)
  }

  /** A conformant array: max count, then `items` written by `writeItem`. */
  conformantArray<T>(items: readonly T[], writeItem: (item: T, index: number) => void): this {
    this.u32(items.length)
    items.forEach(writeItem)
    return this
  }

  /** A conformant byte array: max count, then the bytes. */
  conformantBytes(data: Uint8Array): this {
    return this.u32(data.length).bytes(data)
  }

  /** A conformant varying byte array: max count, offset 0, actual count, then the bytes. */
  conformantVaryingBytes(data: Uint8Array, maxCount = data.length): this {
    if (maxCount < data.length) throw new NdrEncodeError(`max count ${maxCount} is below actual count ${data.length}`)
    return this.u32(maxCount).u32(0).u32(data.length).bytes(data)
  }

  /**
   * A `[string] wchar_t*` pointee: conformant varying, counts in UTF-16 code units including the
   * terminating NUL, which is written.
   */
  wideString(text: string): this {
    const units = text.length + 1
    this.u32(units).u32(0).u32(units)
    this.bytes(Buffer.from(`${text}\0`, 'utf16le'))
    return this
  }

  /** A `[string] char*` pointee: conformant varying, counts in bytes including the NUL. */
  asciiString(text: string): this {
    const bytes = Buffer.from(`${text}\0`, 'latin1')
    return this.u32(bytes.length).u32(0).u32(bytes.length).bytes(bytes)
  }

  /** Writes any pending pointees and returns a copy of the encoded bytes. */
  finish(): Buffer {
    this.flushDeferred()
    return Buffer.from(this.#buf.subarray(0, this.#len))
  }
}
