/** @module Test support: the n-th directory user of a sync batch, with every field a test may override. */
import type { SyncBatch } from '../../protocol/sync-batch.ts'

export type SyncedUser = Extract<SyncBatch['changes'][number], { kind: 'upsert' }>['user']

/**
 * Anchors and GUIDs are 16 bytes in base64, as the agent sends them; no mail, no groups.
 *
 * @example
 * const ann = syncedUserFixture(1, { mail: 'ann@contoso.test' })
 */
export function syncedUserFixture(n: number, extra: Partial<SyncedUser> = {}): SyncedUser {
  return {
    sourceAnchor: Buffer.from(`anchor-${n}`.padEnd(16, '.')).toString('base64'),
    objectGuid: Buffer.from(`guid-${n}`.padEnd(16, '.')).toString('base64'),
    distinguishedName: `CN=User ${n},OU=Sync,DC=contoso,DC=test`,
    samAccountName: `user${n}`,
    userPrincipalName: `user${n}@contoso.test`,
    givenName: 'User',
    surname: String(n),
    displayName: `User ${n}`,
    mail: null,
    mobile: null,
    accountEnabled: true,
    protected: false,
    pwdLastSet: 1,
    passwordNeverExpires: false,
    lockedOut: false,
    groupDns: [],
    usnChanged: n,
    ...extra,
  }
}
