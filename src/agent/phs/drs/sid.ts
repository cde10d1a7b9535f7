/** @module Binary SIDs (MS-DTYP §2.4.2.2): the RID that keys the DES layer of replicated NT hashes. */
import { DrsError } from './drs-error.ts'

/** Checks the layout { revision 1, count, authority[6], subAuthority[count] LE } and returns the count. */
function subAuthorityCount(sid: Uint8Array): number {
  if (sid.length < 8 || sid[0] !== 1) throw new DrsError('DRS_SID_MALFORMED', 'not a binary SID (revision 1)')
  const count = sid[1]!
  if (count === 0 || count > 15 || sid.length !== 8 + 4 * count) {
    throw new DrsError('DRS_SID_MALFORMED', `a SID with ${count} sub-authorities cannot be ${sid.length} bytes`)
  }
  return count
}

/** The relative identifier: the last sub-authority of an account SID. */
export function ridFromSid(sid: Uint8Array): number {
  const count = subAuthorityCount(sid)
  return Buffer.from(sid.buffer, sid.byteOffset, sid.byteLength).readUInt32LE(8 + 4 * (count - 1))
}

/** S-1-5-21-... text form. */
export function sidToString(sid: Uint8Array): string {
  const count = subAuthorityCount(sid)
  const b = Buffer.from(sid.buffer, sid.byteOffset, sid.byteLength)
  const authority = b.readUIntBE(2, 6)
  const parts = [`S-1-${authority}`]
  for (let i = 0; i < count; i++) parts.push(String(b.readUInt32LE(8 + 4 * i)))
  return parts.join('-')
}
