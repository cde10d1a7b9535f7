/**
 * @module Test support: reply stubs as a DC would encode them, built with NdrWriter, for offline
 * round-trip tests, the fake transport and the fuzz tests. Not used by the client itself.
 */
import { NdrWriter } from '../ndr/ndr-writer.ts'
import { writeDsName, type DsNameRef } from './dsname.ts'
import type { PrefixTableEntry } from './prefix-table.ts'
import type { PropertyStamp } from './replentinf-list.ts'
import { type UpToDateCursor, type UsnVector, ZERO_USN_VECTOR, writeUsnVector } from './replication-state.ts'

export interface FakeObject {
  readonly name?: DsNameRef
  readonly flags?: number
  readonly attributes: ReadonlyArray<{ readonly attid: number; readonly values: readonly Buffer[] }>
  readonly isNcPrefix?: boolean
  readonly parentGuid?: string
  readonly metaData?: readonly PropertyStamp[]
}

export interface FakeLinkedValue {
  readonly object?: DsNameRef
  readonly attid: number
  readonly value: Buffer
  readonly isPresent: boolean
}

export interface FakeGetNcChangesReply {
  readonly version?: 6 | 9
  readonly serverDsa?: string
  readonly invocationId?: string
  readonly nc?: DsNameRef
  readonly usnFrom?: UsnVector
  readonly usnTo?: UsnVector
  readonly upToDate?: readonly UpToDateCursor[]
  readonly prefixTable?: readonly PrefixTableEntry[]
  readonly extendedResult?: number
  readonly objects?: readonly FakeObject[]
  readonly moreData?: boolean
  readonly linkedValues?: readonly FakeLinkedValue[]
  readonly drsError?: number
  readonly werror?: number
}

export function fakeBindReply(extensions: Buffer | null, handle: Buffer, werror = 0): Buffer {
  const w = new NdrWriter()
  if (w.pointer(extensions !== null) && extensions) w.u32(extensions.length).u32(extensions.length).bytes(extensions)
  return w.contextHandle(handle).u32(werror).finish()
}

export function fakeCrackNamesReply(
  items: ReadonlyArray<{ status: number; domain?: string; name?: string }>,
  werror = 0,
): Buffer {
  const w = new NdrWriter()
  w.u32(1).u32(1)
  w.uniquePointer(items, (list) => {
    w.u32(list.length)
    w.uniquePointer(list, (array) => {
      w.u32(array.length)
      for (const item of array) {
        w.u32(item.status)
        w.uniquePointer(item.domain, (s) => w.wideString(s))
        w.uniquePointer(item.name, (s) => w.wideString(s))
      }
    })
  })
  w.flushDeferred()
  return w.u32(werror).finish()
}

function writeAttrBlock(w: NdrWriter, attributes: FakeObject['attributes']): void {
  w.u32(attributes.length)
  w.uniquePointer(attributes.length ? attributes : null, (attrs) => {
    w.u32(attrs.length)
    for (const a of attrs) {
      w.u32(a.attid).u32(a.values.length)
      w.uniquePointer(a.values.length ? a.values : null, (values) => {
        w.u32(values.length)
        for (const v of values) {
          w.u32(v.length)
          w.uniquePointer(v, (bytes) => w.conformantBytes(bytes))
        }
      })
    }
  })
}

function writeEntry(w: NdrWriter, objects: readonly FakeObject[], i: number): void {
  const o = objects[i]!
  w.uniquePointer(i + 1 < objects.length ? i + 1 : null, (next) => writeEntry(w, objects, next))
  w.uniquePointer(o.name, (name) => writeDsName(w, name))
  w.u32(o.flags ?? 1)
  writeAttrBlock(w, o.attributes)
  w.u32(o.isNcPrefix ? 1 : 0)
  w.uniquePointer(o.parentGuid, (g) => w.uuid(g))
  w.uniquePointer(o.metaData, (stamps) => {
    w.u32(stamps.length)
    w.align(8)
    w.u32(stamps.length)
    for (const s of stamps) {
      w.align(8)
      w.u32(s.version).i64(s.timeChanged).uuid(s.originatingInvocationId).i64(s.usnOriginating)
    }
  })
}

function writeLinkedValues(w: NdrWriter, values: readonly FakeLinkedValue[], v3: boolean): void {
  w.u32(values.length)
  for (const v of values) {
    w.align(8)
    w.uniquePointer(v.object, (o) => writeDsName(w, o))
    w.u32(v.attid).u32(v.value.length)
    w.uniquePointer(v.value, (bytes) => w.conformantBytes(bytes))
    w.u32(v.isPresent ? 1 : 0)
    w.i64(1n).u32(1).i64(2n).uuid('11111111-2222-3333-4444-555555555555').i64(3n)
    if (v3) w.u32(0).u32(0).u32(0).i64(0n)
  }
}

export function fakeGetNcChangesReply(reply: FakeGetNcChangesReply): Buffer {
  const version = reply.version ?? 6
  const objects = reply.objects ?? []
  const linked = reply.linkedValues ?? []
  const table = reply.prefixTable ?? []
  const w = new NdrWriter()
  w.u32(version).u32(version).align(8)
  w.uuid(reply.serverDsa ?? '0a0b0c0d-0000-0000-0000-000000000001')
  w.uuid(reply.invocationId ?? '0a0b0c0d-0000-0000-0000-000000000002')
  w.uniquePointer(reply.nc, (nc) => writeDsName(w, nc))
  writeUsnVector(w, reply.usnFrom ?? ZERO_USN_VECTOR)
  writeUsnVector(w, reply.usnTo ?? ZERO_USN_VECTOR)
  w.uniquePointer(reply.upToDate, (cursors) => {
    w.u32(cursors.length).align(8).u32(2).u32(0).u32(cursors.length).u32(0)
    for (const c of cursors) w.align(8).uuid(c.invocationId).i64(c.usnHighPropUpdate).i64(c.timeLastSyncSuccess ?? 0n)
  })
  w.u32(table.length)
  w.uniquePointer(table.length ? table : null, (entries) => {
    w.u32(entries.length)
    for (const e of entries) {
      w.u32(e.index).u32(e.prefix.length)
      w.uniquePointer(e.prefix, (bytes) => w.conformantBytes(bytes))
    }
  })
  w.u32(reply.extendedResult ?? 0).u32(objects.length).u32(0)
  w.uniquePointer(objects.length ? 0 : null, (first) => writeEntry(w, objects, first))
  w.u32(reply.moreData ? 1 : 0).u32(0).u32(0)
  w.u32(linked.length)
  w.uniquePointer(linked.length ? linked : null, (values) => writeLinkedValues(w, values, version === 9))
  w.u32(reply.drsError ?? 0)
  w.flushDeferred()
  return w.u32(reply.werror ?? 0).finish()
}
