/** @module The seam between the writeback executor and AD: one session on one DC, bound as the connector. */
import type { PasswordPolicy } from './password-policy.ts'

/**
 * What a DC said (or failed to say). Kept raw so the executor decides the catalogue code, the
 * event ID and the root-cause guess in one place, the same for the real DC and the fake.
 */
export interface DirectoryFault {
  readonly dc: string
  /** The LDAP result code, or null when no answer came (socket, TLS, timeout). */
  readonly ldapResultCode: number | null
  /** The Win32 code in the diagnostic (`0000052d`, `52e`), lower-case hex, or null. */
  readonly adDataCode: string | null
  /** ECONNREFUSED and the like, or null. */
  readonly systemCode: string | null
  /**
   * True when a write was sent and its answer never came: AD may have applied it. Such a fault
   * is never retried, on this DC or another.
   */
  readonly afterSend: boolean
  /** The DC's diagnostic text, for the admin. AD and Samba never echo a password in it. */
  readonly diagnostic: string
}

/** A session call's result: a value, or the DC's fault. */
export type Outcome<T> = { ok: true; value: T } | { ok: false; fault: DirectoryFault }

/** The user as writeback needs it; read once per operation. */
export interface WritebackUser {
  readonly dn: string
  readonly samAccountName: string
  readonly displayName: string | null
  readonly userAccountControl: number
  /** AdminSDHolder stamp; stays 1 after the user leaves the protected group. */
  readonly adminCount: number
  /** Epoch ms; 0 = must change at next logon; null when unreadable. */
  readonly pwdLastSet: number | null
  /** The DN of the fine-grained policy that applies (msDS-ResultantPSO), or null. */
  readonly resultantPso: string | null
}

/** The attribute writes of one reset or unlock, applied in one modify so they land together or not at all. */
export interface AccountStateWrite {
  /** Clears the lockout (and badPwdCount with it). */
  readonly unlock: boolean
  /** `0` = must change at next logon, `-1` = stamp now; absent = leave pwdLastSet alone. */
  readonly pwdLastSet?: '0' | '-1'
}

/**
 * One bound LDAP session to one DC. Every call returns an Outcome instead of throwing, so a
 * fault keeps its LDAP and AD codes. Passwords come in as UTF-16LE quoted buffers (what
 * unicodePwd takes); the caller zeroes them.
 */
export interface WritebackSession {
  /** The DC URL this session is bound to, reported as `domainController`. */
  readonly dc: string
  /** The connector's sAMAccountName, for events 405 and 403. */
  readonly connectorName: string
  /** Users whose ms-DS-ConsistencyGuid equals `anchor`, or, when none, whose objectGUID does. */
  findByAnchor(anchor: Buffer): Promise<Outcome<WritebackUser[]>>
  /** Direct, nested or primary-group member of a protected group, or the built-in Administrator/krbtgt. */
  isProtectedMember(user: WritebackUser): Promise<Outcome<boolean>>
  /** The policy-hints OID the DC advertises (2239 preferred, then 2066), or null. */
  policyHintsOid(): Promise<Outcome<string | null>>
  /** The effective policy of the user: the resultant PSO if readable, else the domain's. */
  readPolicy(user: WritebackUser): Promise<Outcome<PasswordPolicy>>
  /** True when the user's DACL denies Change Password to Everyone or SELF ("user cannot change password"). */
  userCannotChange(user: WritebackUser): Promise<Outcome<boolean>>
  /** Admin-style reset: replace unicodePwd plus the state writes, with the hints control when given. */
  resetPassword(
    user: WritebackUser,
    password: Buffer,
    state: AccountStateWrite,
    hintsOid: string | null,
  ): Promise<Outcome<void>>
  /** The user's change: delete the old unicodePwd, add the new, in one modify (AD checks history and age). */
  changePassword(user: WritebackUser, oldPassword: Buffer, newPassword: Buffer): Promise<Outcome<void>>
  /** lockoutTime and pwdLastSet alone, for unlock-only and after a change. */
  writeState(user: WritebackUser, state: AccountStateWrite): Promise<Outcome<void>>
  /**
   * A simple bind as the user on a fresh connection to the same DC; writes nothing. Like an NTLM
   * logon, it also takes the previous password during the DC's "old password allowed period"
   * (60 minutes on Samba, seen on the lab), so it proves "a password AD accepts", not "the newest".
   */
  verifyPassword(user: WritebackUser, password: string): Promise<Outcome<void>>
  close(): Promise<void>
}

/** Opens sessions; the real one walks the preferred DCs in order. */
export interface WritebackDirectory {
  /** The domain as events name it (`CONTOSO.TEST`). */
  readonly domainName: string
  /** Binds as the connector on the first preferred DC not in `skip` that answers. */
  open(skip?: readonly string[]): Promise<Outcome<WritebackSession>>
}
