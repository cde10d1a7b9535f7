/**
 * @module NDR 2.0 decoding (C706 ch. 14, MS-RPCE §2.2.5), the mirror of NdrWriter, for bytes a
 * server (or an attacker in its place) sent. Every read checks the remaining length, every
 * conformance is checked against the remaining bytes before anything is allocated, and the
 * deferred-pointee depth is bounded, so malformed input fails fast with NdrDecodeError and never
 * hangs or allocates more than the input justifies.
 */
import { uuidFromBytes } from './ndr-writer.ts'
import { DeferredPointees } from './deferred-pointees.ts'

/** The one error every decoder throws for bytes that do not match the expected layout. */
export class NdrDecodeError extends Error {
  readonly code = 'NDR_MALFORMED'
  /** Where in the stub the problem was found. */
  readonly offset: number

  constructor(message: string, offset: number) {
    super(`${message} (at byte ${offset})`)
    this.name = 'NdrDecodeError'
    this.offset = offset
  }

  static is(value: unknown): value is NdrDecodeError {
    return value instanceof Error && value.name === 'NdrDecodeError' && 'code' in value
  }
}

export interface NdrReaderLimits {
  /** How deep pointees may nest (a linked list nests one level per element). */
  readonly maxDepth?: number
}

const DEFAULT_MAX_DEPTH = 65_536

export class NdrReader {
  readonly #buf: Buffer
  #at = 0
  readonly #maxDepth: number
  readonly #pending = new DeferredPointees()

  constructor(buf: Uint8Array, limits: NdrReaderLimits = {}) {
    this.#buf = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength)
    this.#maxDepth = limits.maxDepth ?? DEFAULT_MAX_DEPTH
  }

  get offset(): number {
    return this.#at
  }

  get remaining(): number {
    return this.#buf.length - this.#at
  }

  /** Throws NdrDecodeError at the current offset. */
  fail(message: string): never {
    throw new NdrDecodeError(message, this.#at)
  }

  #take(n: number, what: string): number {
    if (n > this.remaining) this.fail(`${what} needs ${n} bytes, ${this.remaining} left`)
    const at = this.#at
    this.#at += n
    return at
  }

  /** Skips padding up to a multiple of `n`; the padding must exist. */
  align(n: number): this {
    const pad = (n - (this.#at % n)) % n
    if (pad) this.#take(pad, 'alignment padding')
    return this
  }

  u8(): number {
    return this.#buf.readUInt8(this.#take(1, 'u8'))
  }

  u16(): number {
    this.align(2)
    return this.#buf.readUInt16LE(this.#take(2, 'u16'))
  }

  u32(): number {
    this.align(4)
    return this.#buf.readUInt32LE(this.#take(4, 'u32'))
  }

  i32(): number {
    this.align(4)
    return this.#buf.readInt32LE(this.#take(4, 'i32'))
  }

  u64(): bigint {
    this.align(8)
    return this.#buf.readBigUInt64LE(this.#take(8, 'u64'))
  }

  i64(): bigint {
    this.align(8)
    return this.#buf.readBigInt64LE(this.#take(8, 'i64'))
  }

  /** A copy of the next `n` bytes (no alignment); `n` is checked before anything is allocated. */
  bytes(n: number): Buffer {
    if (!Number.isInteger(n) || n < 0) this.fail(`invalid byte count ${n}`)
    const at = this.#take(n, 'byte array')
    return Buffer.from(this.#buf.subarray(at, at + n))
  }

  /** Skips `n` bytes. */
  skip(n: number): this {
    this.#take(n, 'skipped bytes')
    return this
  }

  /** A UUID's 16 bytes in wire (Windows GUID) order, aligned to 4. */
  uuidBytes(): Buffer {
    this.align(4)
    return this.bytes(16)
  }

  /** A UUID as lower-case text. */
  uuid(): string {
    return uuidFromBytes(this.uuidBytes())
  }

  /** A 20-byte context handle, aligned to 4. */
  contextHandle(): Buffer {
    this.align(4)
    return this.bytes(20)
  }

  /** A unique/full pointer's referent id (0 is NULL). */
  referent(): number {
    return this.u32()
  }

  /**
   * An embedded unique pointer: reads the referent id now and, when it is not NULL, queues
   * `read` for when the enclosing construct is flushed, handing its result to `assign`.
   */
  pointer<T>(read: () => T, assign: (value: T) => void): boolean {
    if (this.referent() === 0) return false
    this.defer(() => assign(read()))
    return true
  }

  /** Queues a pointee read behind the construct being read. */
  defer(read: () => void): this {
    this.#pending.add(read)
    return this
  }

  /** Reads every queued pointee depth-first, like NdrWriter.flushDeferred writes them. */
  flushDeferred(): this {
    this.#pending.flush({ maxDepth: this.#maxDepth, tooDeep: (max) => this.fail(`pointees nest deeper than ${max}`) })
    return this
  }

  /**
   * A count (conformance, variance or a length field) of elements that take at least
   * `minElementBytes` each on the wire, checked against the remaining bytes and `max`.
   */
  count(minElementBytes: number, what: string, max = 0xffffffff): number {
    const n = this.u32()
    if (n > max) this.fail(`${what}: count ${n} exceeds ${max}`)
    if (n * minElementBytes > this.remaining) this.fail(`${what}: count ${n} does not fit in ${this.remaining} bytes`)
    return n
  }

  /** A conformant array: max count, then `n` elements read by `readItem`. */
  conformantArray<T>(minElementBytes: number, readItem: (index: number) => T, what = 'conformant array'): T[] {
    const n = this.count(minElementBytes, what)
    const items: T[] = []
    for (let i = 0; i < n; i++) items.push(readItem(i))
    return items
  }

  /** A conformant byte array. */
  conformantBytes(what = 'conformant bytes'): Buffer {
    return this.bytes(this.count(1, what))
  }

  /** A conformant varying byte array: max count, offset, actual count, then the bytes. */
  conformantVaryingBytes(what = 'conformant varying bytes'): Buffer {
    const max = this.u32()
    const offset = this.u32()
    const actual = this.count(1, what)
    if (offset !== 0 || actual > max) this.fail(`${what}: offset ${offset}, actual ${actual}, max ${max}`)
    return this.bytes(actual)
  }

  /**
   * A `[string] wchar_t*` pointee: conformant varying UTF-16LE. The NUL terminator is required
   * by [string] and removed.
   */
  wideString(what = 'wide string'): string {
    const max = this.u32()
    const offset = this.u32()
    const actual = this.count(2, what)
    if (offset !== 0 || actual > max) this.fail(`${what}: offset ${offset}, actual ${actual}, max ${max}`)
    const text = this.bytes(actual * 2).toString('utf16le')
    if (actual === 0 || text.charCodeAt(actual - 1) !== 0) this.fail(`${what} is not NUL-terminated`)
    return text.slice(0, actual - 1)
  }

  /** A `[string] char*` pointee: conformant varying, NUL-terminated. */
  asciiString(what = 'string'): string {
    const bytes = this.conformantVaryingBytes(what)
    if (bytes.length === 0 || bytes[bytes.length - 1] !== 0) this.fail(`${what} is not NUL-terminated`)
    return bytes.subarray(0, bytes.length - 1).toString('latin1')
  }

  /** Fails unless every byte was consumed. */
  end(): void {
    if (this.remaining !== 0) this.fail(`${this.remaining} unexpected trailing bytes`)
  }
}
