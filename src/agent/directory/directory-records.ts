/** @module What the directory connector reads from AD, in the vocabulary of sync. */

/** Which users are in sync scope: under any of the OUs, and/or members of the group. */
export interface SyncScope {
  /** Distinguished names of OUs; users anywhere below one of them are in scope. */
  readonly ous: readonly string[]
  /** When set, only members (direct or nested) of this group are in scope. */
  readonly groupDn?: string
}

/** One user as the connector exports it to the tenant. */
export interface DirectoryUser {
  /** base64 of ms-DS-ConsistencyGuid when set, otherwise of objectGUID; Entra's ImmutableId form. */
  readonly sourceAnchor: string
  /** base64 of objectGUID, which never changes even when the DN does. */
  readonly objectGuid: string
  readonly distinguishedName: string
  readonly samAccountName: string
  readonly userPrincipalName: string | null
  readonly givenName: string | null
  readonly surname: string | null
  readonly displayName: string | null
  readonly mail: string | null
  readonly mobile: string | null
  /** From userAccountControl: not ACCOUNTDISABLE (0x2). */
  readonly accountEnabled: boolean
  /** adminCount=1 or a member of a protected group: writeback refuses to reset it (event 33004). */
  readonly protected: boolean
  /** Epoch ms, 0 for "must change at next logon", null when never set. */
  readonly pwdLastSet: number | null
  readonly passwordNeverExpires: boolean
  /** lockoutTime > 0 (AD clears it lazily, so an expired lockout may still read as locked). */
  readonly lockedOut: boolean
  /** DNs of in-scope groups the user is a direct member of. */
  readonly groupDns: readonly string[]
  readonly usnChanged: number
}

export type DirectoryChange =
  | { readonly kind: 'upsert'; readonly user: DirectoryUser }
  | {
      readonly kind: 'delete'
      readonly sourceAnchor: string
      readonly distinguishedName: string
      /** A tombstone, or a user still in AD that left the sync scope. */
      readonly reason: 'deleted' | 'out-of-scope'
    }

/** A user the connector could not read (a malformed value): reported, while the rest continue. */
export interface DirectoryUserFailure {
  readonly distinguishedName: string
  readonly detail: string
}
