/** @module Decodes a binary (self-relative) nTSecurityDescriptor, as LDAP returns it, into its DACL. */

/** SECURITY_DESCRIPTOR control bit: the DACL blocks inheritance from the parent ("D:P" in SDDL). */
export const SE_DACL_PROTECTED = 0x1000
/** ACE flags. */
export const aceFlags = { objectInherit: 0x01, containerInherit: 0x02, inheritOnly: 0x08, inherited: 0x10 } as const
/** ACE types used in AD DACLs. */
export const aceTypes = { allow: 0x00, deny: 0x01, allowObject: 0x05, denyObject: 0x06 } as const
/** Access mask bits: DS control access (extended rights) and DS write property. */
export const accessMask = { controlAccess: 0x100, writeProperty: 0x20 } as const

export interface Ace {
  readonly type: number
  readonly flags: number
  readonly mask: number
  /** The right or attribute GUID of an object ACE, in the usual string form. */
  readonly objectType?: string
  /** The object class an inheritable object ACE applies to. */
  readonly inheritedObjectType?: string
  readonly sid: string
}

export interface SecurityDescriptor {
  readonly control: number
  readonly owner: string | null
  readonly group: string | null
  readonly dacl: readonly Ace[]
}

/**
 * Parses the descriptor; the SACL is skipped (reading it needs SeSecurityPrivilege anyway).
 *
 * @example
 * const sd = parseSecurityDescriptor(Buffer.from(base64, 'base64'))
 * const isProtected = (sd.control & SE_DACL_PROTECTED) !== 0
 */
export function parseSecurityDescriptor(buf: Buffer): SecurityDescriptor {
  const control = buf.readUInt16LE(2)
  const [ownerAt, groupAt, , daclAt] = [4, 8, 12, 16].map((o) => buf.readUInt32LE(o)) as [
    number,
    number,
    number,
    number,
  ]
  const dacl: Ace[] = []
  if (daclAt !== 0) {
    const count = buf.readUInt16LE(daclAt + 4)
    let at = daclAt + 8
    for (let i = 0; i < count; i++) {
      dacl.push(parseAce(buf, at))
      at += buf.readUInt16LE(at + 2)
    }
  }
  return {
    control,
    owner: ownerAt ? parseSid(buf, ownerAt) : null,
    group: groupAt ? parseSid(buf, groupAt) : null,
    dacl,
  }
}

function parseAce(buf: Buffer, at: number): Ace {
  const type = buf.readUInt8(at)
  const flags = buf.readUInt8(at + 1)
  const mask = buf.readUInt32LE(at + 4)
  if (type !== aceTypes.allowObject && type !== aceTypes.denyObject) {
    return { type, flags, mask, sid: parseSid(buf, at + 8) }
  }
  const objectFlags = buf.readUInt32LE(at + 8)
  let cursor = at + 12
  let objectType: string | undefined
  let inheritedObjectType: string | undefined
  if (objectFlags & 0x1) {
    objectType = parseGuid(buf, cursor)
    cursor += 16
  }
  if (objectFlags & 0x2) {
    inheritedObjectType = parseGuid(buf, cursor)
    cursor += 16
  }
  return { type, flags, mask, objectType, inheritedObjectType, sid: parseSid(buf, cursor) }
}

/** S-1-5-21-…: revision, sub-authority count, a 48-bit big-endian authority, little-endian sub-authorities. */
export function parseSid(buf: Buffer, at: number): string {
  const count = buf.readUInt8(at + 1)
  const authority = buf.readUIntBE(at + 2, 6)
  const subs = Array.from({ length: count }, (_, i) => buf.readUInt32LE(at + 8 + i * 4))
  return `S-${buf.readUInt8(at)}-${authority}${subs.map((s) => `-${s}`).join('')}`
}

/** GUIDs are stored with their first three groups little-endian. */
export function parseGuid(buf: Buffer, at: number): string {
  const hex = (start: number, end: number, reverse: boolean) => {
    const bytes = [...buf.subarray(at + start, at + end)]
    return (reverse ? bytes.reverse() : bytes).map((b) => b.toString(16).padStart(2, '0')).join('')
  }
  return [hex(0, 4, true), hex(4, 6, true), hex(6, 8, true), hex(8, 10, false), hex(10, 16, false)].join('-')
}
