/**
 * @module What a GetNCChanges page holds, in the terms callers use: objects with OID-keyed
 * attributes (values still as sent, so secrets stay encrypted), and the page's paging state.
 */
import { uuidFromBytes } from '../ndr/ndr-writer.ts'
import { EXOP_ERR_SUCCESS } from './drs-constants.ts'
import type { DsName } from './dsname.ts'
import type { GetNcChangesReply } from './getnc-reply.ts'
import { AttributeOid, type PrefixTable, attributeKey } from './prefix-table.ts'
import type { RawEntry, PropertyStamp } from './replentinf-list.ts'
import type { UpToDateCursor, UsnVector } from './replication-state.ts'
import { ridFromSid } from './sid.ts'

export interface ReplicatedObject {
  /** objectGUID in wire order (16 bytes), from the DSNAME. */
  readonly guid: Buffer
  /** objectGUID as text, undefined when the DC sent the NULL GUID. */
  readonly objectGuid?: string
  /** objectSid: from the DSNAME, else from the attributes. */
  readonly sid?: Buffer
  readonly dn: string
  /** Values by attribute OID (or attid:0x... when the prefix table cannot name it). Secrets are still encrypted. */
  readonly attributes: Map<string, Buffer[]>
  /** The originating-write stamp of each attribute, when the DC sent metadata. */
  readonly stamps: Map<string, PropertyStamp>
  readonly isNcPrefix: boolean
  readonly parentGuid?: string
  /** ENTINF ulFlags. */
  readonly flags: number
}

export interface LinkedValue {
  readonly object?: DsName
  readonly attribute: string
  readonly value: Buffer
  readonly isPresent: boolean
}

export interface NcChangesPage {
  readonly version: 6 | 9
  readonly serverDsa: string
  /** The DC's invocationId: send it back as `invocationId` on the next request of the cycle. */
  readonly invocationId: string
  readonly nc?: DsName
  readonly objects: ReplicatedObject[]
  readonly linkedValues: LinkedValue[]
  readonly moreData: boolean
  /** usnvecTo: the next request's `usnFrom`; stored after the last page for the next cycle. */
  readonly highWatermark: UsnVector
  readonly lowWatermark: UsnVector
  /** The DC's up-to-dateness vector, normally on the last page of a cycle. */
  readonly upToDate?: UpToDateCursor[]
  /** ulExtendedRet as sent (EXOP_ERR_*; 0 for a normal walk). */
  readonly extendedResult: number
  /** Set when an extended operation was asked for and did not return EXOP_ERR_SUCCESS. */
  readonly extendedError?: number
  readonly drsError: number
  readonly objectCount: number
  readonly byteCount: number
}

export function toReplicatedObject(entry: RawEntry, table: PrefixTable): ReplicatedObject {
  const attributes = new Map<string, Buffer[]>()
  const stamps = new Map<string, PropertyStamp>()
  entry.attributes.forEach((attr, i) => {
    const key = attributeKey(table, attr.attid)
    const existing = attributes.get(key)
    if (existing) existing.push(...attr.values)
    else attributes.set(key, attr.values)
    const stamp = entry.metaData?.[i]
    if (stamp) stamps.set(key, stamp)
  })
  const guid = entry.name?.guid ?? Buffer.alloc(16)
  const nullGuid = guid.equals(Buffer.alloc(16))
  return {
    guid,
    objectGuid: nullGuid ? undefined : uuidFromBytes(guid),
    sid: entry.name?.sid ?? attributes.get(AttributeOid.objectSid)?.[0],
    dn: entry.name?.dn ?? '',
    attributes,
    stamps,
    isNcPrefix: entry.isNcPrefix,
    parentGuid: entry.parentGuid ? uuidFromBytes(entry.parentGuid) : undefined,
    flags: entry.flags,
  }
}

export function toNcChangesPage(reply: GetNcChangesReply, extendedOp: number): NcChangesPage {
  const table = reply.prefixTable
  return {
    version: reply.version,
    serverDsa: reply.serverDsa,
    invocationId: reply.invocationId,
    nc: reply.nc,
    objects: reply.entries.map((e) => toReplicatedObject(e, table)),
    linkedValues: reply.linkedValues.map((v) => ({
      object: v.object,
      attribute: attributeKey(table, v.attid),
      value: v.value,
      isPresent: v.isPresent,
    })),
    moreData: reply.moreData,
    highWatermark: reply.usnTo,
    lowWatermark: reply.usnFrom,
    upToDate: reply.upToDate,
    extendedResult: reply.extendedResult,
    extendedError: extendedOp !== 0 && reply.extendedResult !== EXOP_ERR_SUCCESS ? reply.extendedResult : undefined,
    drsError: reply.drsError,
    objectCount: reply.objectCount,
    byteCount: reply.byteCount,
  }
}

/** The RID of a replicated account (the last sub-authority of its objectSid), if it has a SID. */
export function ridOf(object: ReplicatedObject): number | undefined {
  return object.sid ? ridFromSid(object.sid) : undefined
}
