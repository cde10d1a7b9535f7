/** @module LDAP_SERVER_POLICY_HINTS: asks AD to apply history and minimum age to an admin-style reset. */
import { BerWriter, Control } from 'ldapts'

/** LDAP_SERVER_POLICY_HINTS_OID, Windows Server 2012 R2 and later. */
export const POLICY_HINTS_OID = '1.2.840.113556.1.4.2239'
/** LDAP_SERVER_POLICY_HINTS_DEPRECATED_OID, the Windows Server 2008 R2 hotfix name the reference cites. */
export const POLICY_HINTS_DEPRECATED_OID = '1.2.840.113556.1.4.2066'

/** The OID to send: the current one if advertised, the deprecated one if only that is, else null. */
export function pickPolicyHintsOid(supportedControls: readonly string[]): string | null {
  if (supportedControls.includes(POLICY_HINTS_OID)) return POLICY_HINTS_OID
  if (supportedControls.includes(POLICY_HINTS_DEPRECATED_OID)) return POLICY_HINTS_DEPRECATED_OID
  return null
}

/**
 * Value `SEQUENCE { flags INTEGER }` with flags 1 = enforce. Sent critical, and only to a DC that
 * advertises it: a DC that ignored it would reset without history, which is what it is meant to stop.
 */
export class PolicyHintsControl extends Control {
  constructor(oid: string) {
    super(oid, { critical: true })
  }

  protected override writeControl(writer: BerWriter): void {
    const value = new BerWriter()
    value.startSequence()
    value.writeInt(1)
    value.endSequence()
    writer.writeBuffer(value.buffer, 0x04)
  }
}
