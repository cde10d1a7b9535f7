/** @module Reads "User cannot change password" the way AD stores it: deny ACEs in the user's DACL, not a flag. */
import { BerWriter, Control } from 'ldapts'

/** LDAP_SERVER_SD_FLAGS_OID: without it a non-admin gets no nTSecurityDescriptor (the SACL needs a privilege). */
export const SD_FLAGS_OID = '1.2.840.113556.1.4.801'
const DACL_SECURITY_INFORMATION = 0x4

/** Asks for the DACL only, which a connector with Read Permissions may see. */
export class DaclOnlyControl extends Control {
  constructor() {
    super(SD_FLAGS_OID, { critical: true })
  }

  protected override writeControl(writer: BerWriter): void {
    const value = new BerWriter()
    value.startSequence()
    value.writeInt(DACL_SECURITY_INFORMATION)
    value.endSequence()
    writer.writeBuffer(value.buffer, 0x04)
  }
}

const ACCESS_DENIED_OBJECT_ACE = 0x06
const ADS_RIGHT_DS_CONTROL_ACCESS = 0x100
const ACE_OBJECT_TYPE_PRESENT = 0x1
/** User-Change-Password, ab721a53-1e2f-11d0-9819-00aa0040529b, in its on-disk byte order. */
const changePasswordGuid = Buffer.from('531a72ab2f1ed011981900aa0040529b', 'hex')
/** Everyone (S-1-1-0) and Principal Self (S-1-5-10), the two ACEs ADUC's checkbox writes. */
const everyone = Buffer.from('010100000000000100000000', 'hex')
const self = Buffer.from('01010000000000050a000000', 'hex')

/**
 * True when the self-relative descriptor denies Change Password to Everyone or SELF. Walks the
 * DACL's ACEs by their sizes; a malformed descriptor reads as "not denied" rather than throwing,
 * since this only sharpens an error message.
 */
export function daclDeniesChangePassword(descriptor: Buffer): boolean {
  try {
    const daclAt = descriptor.readUInt32LE(16)
    if (daclAt === 0) return false
    const count = descriptor.readUInt16LE(daclAt + 4)
    let at = daclAt + 8
    for (let i = 0; i < count; i++) {
      const type = descriptor.readUInt8(at)
      const size = descriptor.readUInt16LE(at + 2)
      if (type === ACCESS_DENIED_OBJECT_ACE && (descriptor.readUInt32LE(at + 4) & ADS_RIGHT_DS_CONTROL_ACCESS) !== 0) {
        const flags = descriptor.readUInt32LE(at + 8)
        if (flags & ACE_OBJECT_TYPE_PRESENT) {
          const guid = descriptor.subarray(at + 12, at + 28)
          // The SID follows the object type, and the inherited object type when flag 0x2 is set.
          const sidAt = at + 28 + (flags & 0x2 ? 16 : 0)
          const sid = descriptor.subarray(sidAt, at + size)
          if (guid.equals(changePasswordGuid) && (sid.equals(everyone) || sid.equals(self))) return true
        }
      }
      if (size < 8) return false
      at += size
    }
    return false
  } catch {
    return false
  }
}
