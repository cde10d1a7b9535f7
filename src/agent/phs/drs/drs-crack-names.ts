/**
 * @module IDL_DRSCrackNames (opnum 12), MS-DRSR §4.1.4, with DRS_MSG_CRACKREQ_V1 and its V1 reply.
 * Request: hDrs, dwInVersion = 1, then the union (discriminant 1) arm
 * { CodePage, LocaleId, dwFlags, formatOffered, formatDesired, cNames, [string, size_is(cNames)] WCHAR** rpNames }.
 * Reply: pdwOutVersion, union (discriminant 1) { DS_NAME_RESULTW* pResult }, ULONG return, where
 * DS_NAME_RESULTW = { cItems, [size_is(cItems)] DS_NAME_RESULT_ITEMW* rItems } and each item is
 * { status, [string, unique] WCHAR* pDomain, [string, unique] WCHAR* pName }.
 */
import { NdrReader } from '../ndr/ndr-reader.ts'
import { NdrWriter } from '../ndr/ndr-writer.ts'
import { DrsError } from './drs-error.ts'

export interface CrackedName {
  /** DS_NAME_ERROR (0 = DS_NAME_NO_ERROR). */
  readonly status: number
  readonly domain?: string
  readonly name?: string
}

export interface CrackNamesReply {
  readonly version: number
  readonly items: CrackedName[]
  readonly werror: number
}

/** [range(1,10000)] on cNames. */
export const MAX_CRACK_NAMES = 10_000

export function encodeCrackNamesRequest(
  handle: Uint8Array,
  names: readonly string[],
  formatOffered: number,
  formatDesired: number,
  flags = 0,
): Buffer {
  if (names.length < 1 || names.length > MAX_CRACK_NAMES) {
    throw new DrsError('DRS_INVALID_REQUEST', `CrackNames takes 1 to ${MAX_CRACK_NAMES} names, got ${names.length}`)
  }
  const w = new NdrWriter()
  w.contextHandle(handle)
  w.u32(1) // dwInVersion
  w.u32(1) // union discriminant
  w.u32(0) // CodePage: ignored by servers
  w.u32(0) // LocaleId: ignored by servers
  w.u32(flags)
  w.u32(formatOffered >>> 0)
  w.u32(formatDesired >>> 0)
  w.u32(names.length)
  w.uniquePointer(names, (list) => {
    w.u32(list.length)
    for (const name of list) w.uniquePointer(name, (text) => w.wideString(text))
  })
  return w.finish()
}

/** DS_NAME_RESULTW pointee: cItems and the deferred item array, whose strings are deferred again. */
function readNameResult(r: NdrReader, items: CrackedName[]): void {
  const declared = r.u32()
  r.pointer(
    () => {
      const count = r.count(12, 'DS_NAME_RESULT_ITEMW array', MAX_CRACK_NAMES)
      if (count !== declared) r.fail(`DS_NAME_RESULTW has ${count} items, cItems says ${declared}`)
      for (let i = 0; i < count; i++) {
        const item: { status: number; domain?: string; name?: string } = { status: r.u32() }
        items.push(item)
        r.pointer(
          () => r.wideString('pDomain'),
          (v) => (item.domain = v),
        )
        r.pointer(
          () => r.wideString('pName'),
          (v) => (item.name = v),
        )
      }
    },
    () => undefined,
  )
}

export function decodeCrackNamesReply(stub: Uint8Array): CrackNamesReply {
  const r = new NdrReader(stub)
  const version = r.u32()
  const items: CrackedName[] = []
  if (version !== 1) {
    // Only V1 exists; anything else can only be an error reply, whose WERROR ends the stub.
    const werror = stub.length >= 8 ? Buffer.from(stub).readUInt32LE(stub.length - 4) : 0
    if (werror) return { version, items, werror }
    throw new DrsError('DRS_REPLY_UNSUPPORTED', `CrackNames reply version ${version}`)
  }
  const discriminant = r.u32()
  if (discriminant !== version) r.fail(`union discriminant ${discriminant} is not pdwOutVersion ${version}`)
  r.pointer(
    () => readNameResult(r, items),
    () => undefined,
  )
  r.flushDeferred()
  return { version, items, werror: r.u32() }
}
