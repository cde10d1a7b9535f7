/** @module The ACEs that delegate the connector's documented rights on the domain root, as SDDL. */

/** GUIDs from the AD schema and extended rights; Samba uses the same values. */
export const adGuids = {
  userClass: 'bf967aba-0de6-11d0-a285-00aa003049e2',
  resetPassword: '00299570-246d-11d0-a768-00aa006e0529',
  changePassword: 'ab721a53-1e2f-11d0-9819-00aa0040529b',
  lockoutTime: '28630ebf-41d5-11d1-a9c1-0000f80367c1',
  pwdLastSet: 'bf967a0a-0de6-11d0-a285-00aa003049e2',
  unexpirePassword: 'ccc2dc7d-a6ad-4a7a-8846-c04e3cc53501',
  replicationGetChanges: '1131f6aa-9c07-11d1-f79f-00c04fc2dcd2',
  replicationGetChangesAll: '1131f6ad-9c07-11d1-f79f-00c04fc2dcd2',
} as const

/**
 * The full connector's ACEs. Password rights are inherit-only (CIIO) and scoped to user objects,
 * so they reach every user below the root but not the root, OUs, groups or computers.
 *
 * @example
 * samba-tool dsacl set --objectdn DC=contoso,DC=test --sddl connectorAces(sid).join('')
 */
export function connectorAces(sid: string): string[] {
  const g = adGuids
  return [
    `(OA;CIIO;CR;${g.resetPassword};${g.userClass};${sid})`,
    `(OA;CIIO;CR;${g.changePassword};${g.userClass};${sid})`,
    `(OA;CIIO;WP;${g.lockoutTime};${g.userClass};${sid})`,
    `(OA;CIIO;WP;${g.pwdLastSet};${g.userClass};${sid})`,
    `(OA;;CR;${g.unexpirePassword};;${sid})`,
    `(OA;;CR;${g.replicationGetChanges};;${sid})`,
    `(OA;;CR;${g.replicationGetChangesAll};;${sid})`,
  ]
}

/** The deliberately under-privileged connector: it can read and sync, but not reset or unlock. */
export function limitedConnectorAces(sid: string): string[] {
  const g = adGuids
  return [
    `(OA;CIIO;CR;${g.changePassword};${g.userClass};${sid})`,
    `(OA;;CR;${g.replicationGetChanges};;${sid})`,
    `(OA;;CR;${g.replicationGetChangesAll};;${sid})`,
  ]
}

/** What AD's "User cannot change password" checkbox really is: deny Change Password to Everyone and SELF. */
export function cannotChangePasswordAces(): string[] {
  return [`(OD;;CR;${adGuids.changePassword};;WD)`, `(OD;;CR;${adGuids.changePassword};;PS)`]
}
