/**
 * @module SCHEMA_PREFIX_TABLE on the wire: { PrefixCount, [size_is] PrefixTableEntry* } with each
 * entry { ndx, OID_t { length, [size_is] BYTE* elements } }. Both pointers are embedded, so their
 * pointees are deferred: the entry array after the enclosing message, each OID's bytes after the array.
 */
import type { NdrReader } from '../ndr/ndr-reader.ts'
import type { NdrWriter } from '../ndr/ndr-writer.ts'
import type { PrefixTable, PrefixTableEntry } from './prefix-table.ts'

const MAX_ENTRIES = 1_048_576
const MAX_OID_BYTES = 10_000

/**
 * Writes the inline part and defers the entries. `schemaInfo`, when given, goes last as the
 * ndx-0 schema signature entry, as DCs send it and expect it.
 */
export function writePrefixTable(w: NdrWriter, table: PrefixTable | undefined, schemaInfo?: Buffer): void {
  const entries = [...(table?.entries ?? []), ...(schemaInfo ? [{ index: 0, prefix: schemaInfo }] : [])]
  w.u32(entries.length)
  w.uniquePointer(entries.length ? entries : null, (list) => {
    w.u32(list.length)
    for (const e of list) {
      w.u32(e.index)
      w.u32(e.prefix.length)
      w.uniquePointer(e.prefix, (bytes) => w.conformantBytes(bytes))
    }
  })
}

/** Reads the inline part; the returned array fills in when the reader flushes its deferred pointees. */
export function readPrefixTable(r: NdrReader): PrefixTableEntry[] {
  const entries: PrefixTableEntry[] = []
  const declared = r.u32()
  if (declared > MAX_ENTRIES) r.fail(`SCHEMA_PREFIX_TABLE PrefixCount ${declared} exceeds ${MAX_ENTRIES}`)
  r.pointer(
    () => {
      const count = r.count(12, 'SCHEMA_PREFIX_TABLE entries', MAX_ENTRIES)
      if (count !== declared) r.fail(`SCHEMA_PREFIX_TABLE has ${count} entries, PrefixCount says ${declared}`)
      for (let i = 0; i < count; i++) {
        const index = r.u32()
        const length = r.u32()
        if (length > MAX_OID_BYTES) r.fail(`OID_t length ${length} exceeds ${MAX_OID_BYTES}`)
        const entry: { index: number; prefix: Buffer } = { index, prefix: Buffer.alloc(0) }
        entries.push(entry)
        r.pointer(
          () => r.conformantBytes('OID_t elements'),
          (bytes) => {
            if (bytes.length !== length) r.fail(`OID_t has ${bytes.length} bytes, length says ${length}`)
            entry.prefix = bytes
          },
        )
      }
    },
    () => undefined,
  )
  return entries
}
