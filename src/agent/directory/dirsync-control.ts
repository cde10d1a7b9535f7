/** @module LDAP_SERVER_DIRSYNC_OID (MS-ADTS 3.1.1.3.4.1.3), which ldapts does not ship. */
import { type BerReader, BerWriter, Control } from 'ldapts'

export const DIRSYNC_OID = '1.2.840.113556.1.4.841'
/** Without it the caller needs "Replicating Directory Changes"; with it Samba returns only what the caller may read. */
export const LDAP_DIRSYNC_OBJECT_SECURITY = 0x1
const maxReturnLength = 0x7fffffff

/**
 * Request value `SEQUENCE { flags INTEGER, maxBytes INTEGER, cookie OCTET STRING }`; the response
 * has the same shape with `flags` meaning "more data". ldapts parses a response control into the
 * request control instance with the same OID, so after a search this object holds the new cookie.
 *
 * @example
 * const control = new DirSyncControl({ cookie: Buffer.alloc(0) })
 * await client.search(baseDn, { filter }, [control]) // control.cookie is now the next cookie
 */
export class DirSyncControl extends Control {
  flags: number
  cookie: Buffer
  /** Set from the response: the DC has more changes than it returned in this round. */
  moreData = false
  /** Set when the response carried the control at all (a DC that ignores it would not). */
  answered = false

  constructor(options: { cookie: Buffer; flags?: number }) {
    // AD and Samba refuse a non-critical DirSync request (Samba answers operationsError).
    super(DIRSYNC_OID, { critical: true })
    this.flags = options.flags ?? 0
    this.cookie = options.cookie
  }

  protected override writeControl(writer: BerWriter): void {
    const value = new BerWriter()
    value.startSequence()
    value.writeInt(this.flags)
    value.writeInt(maxReturnLength)
    value.writeBuffer(this.cookie, 0x04)
    value.endSequence()
    writer.writeBuffer(value.buffer, 0x04)
  }

  protected override parseControl(reader: BerReader): void {
    if (reader.readSequence() === null) return
    this.moreData = (reader.readInt() ?? 0) !== 0
    reader.readInt()
    this.cookie = reader.readString(0x04, true) ?? Buffer.alloc(0)
    this.answered = true
  }
}
