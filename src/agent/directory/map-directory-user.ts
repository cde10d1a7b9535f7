/** @module Attribute flow: one AD user entry to a DirectoryUser, or a per-user failure. */

import { type AdEntry, fileTimeToEpochMs, normalizeDn } from './ad-entry.ts'
import type { DirectoryUser, DirectoryUserFailure } from './directory-records.ts'

/** What the attributes we request are; the connector asks for exactly these. */
export const userAttributes = [
  'objectGUID',
  'mS-DS-ConsistencyGuid',
  'objectSid',
  'distinguishedName',
  'sAMAccountName',
  'userPrincipalName',
  'givenName',
  'sn',
  'displayName',
  'mail',
  'mobile',
  'userAccountControl',
  'adminCount',
  'primaryGroupID',
  'pwdLastSet',
  'lockoutTime',
  'memberOf',
  'uSNChanged',
]

const ACCOUNTDISABLE = 0x2
const DONT_EXPIRE_PASSWORD = 0x10000
/** Primary-group RIDs of AdminSDHolder-protected groups (Domain Admins, Schema Admins, Enterprise Admins, DCs). */
const protectedPrimaryGroups = new Set([512, 516, 518, 519, 521])

export interface UserMappingContext {
  /** Anchors already exported, by base64 objectGUID: an exported anchor never changes. */
  readonly knownAnchors: ReadonlyMap<string, string>
  /** base64 objectGUIDs of users that are direct or nested members of a protected group. */
  readonly protectedGuids: ReadonlySet<string>
  /**
   * Normalized DNs (normalizeDn) of the protected groups and the groups nested in them: a user
   * whose memberOf names one is protected, which a full import uses instead of a user search.
   */
  readonly protectedGroups?: ReadonlySet<string>
  /** Whether a group DN (from memberOf) is in sync scope. */
  readonly isScopeGroup: (dn: string) => boolean
}

export type UserMapping = { ok: true; user: DirectoryUser } | { ok: false; failure: DirectoryUserFailure }

/** Whether `entry`'s memberOf names one of `groups` (normalized DNs). */
export function inProtectedGroup(entry: AdEntry, groups: ReadonlySet<string> | undefined): boolean {
  if (!groups || groups.size === 0) return false
  return entry.texts('memberOf').some((dn) => groups.has(normalizeDn(dn)))
}

function integer(entry: AdEntry, name: string): number | null {
  const text = entry.text(name)
  if (text === null) return null
  if (!/^-?\d+$/.test(text)) throw new Error(`${name} is not an integer: ${JSON.stringify(text.slice(0, 40))}`)
  return Number(text)
}

function guidBytes(entry: AdEntry, name: string): Buffer | null {
  const value = entry.buffer(name)
  if (value === null) return null
  if (value.length !== 16) throw new Error(`${name} is ${value.length} bytes, not 16`)
  return value
}

function required<T>(value: T | null, name: string): T {
  if (value === null) throw new Error(`${name} is missing`)
  return value
}

/**
 * Maps one entry. Malformed values (a 15-byte objectGUID, a non-numeric userAccountControl) come
 * back as a failure for this user so that an import can report it and carry on with the rest.
 *
 * @example
 * const mapped = mapDirectoryUser(new AdEntry(entry), context)
 * if (!mapped.ok) failures.push(mapped.failure)
 */
export function mapDirectoryUser(entry: AdEntry, context: UserMappingContext): UserMapping {
  try {
    const objectGuid = required(guidBytes(entry, 'objectGUID'), 'objectGUID').toString('base64')
    const consistencyGuid = guidBytes(entry, 'mS-DS-ConsistencyGuid')
    const sourceAnchor =
      context.knownAnchors.get(objectGuid) ?? (consistencyGuid ?? Buffer.from(objectGuid, 'base64')).toString('base64')
    const uac = required(integer(entry, 'userAccountControl'), 'userAccountControl')
    const pwdLastSet = entry.text('pwdLastSet')
    const lockoutTime = integer(entry, 'lockoutTime') ?? 0
    const primaryGroup = integer(entry, 'primaryGroupID')
    const user: DirectoryUser = {
      sourceAnchor,
      objectGuid,
      distinguishedName: entry.text('distinguishedName') ?? entry.dn,
      samAccountName: required(entry.text('sAMAccountName'), 'sAMAccountName'),
      userPrincipalName: entry.text('userPrincipalName'),
      givenName: entry.text('givenName'),
      surname: entry.text('sn'),
      displayName: entry.text('displayName'),
      mail: entry.text('mail'),
      mobile: entry.text('mobile'),
      accountEnabled: (uac & ACCOUNTDISABLE) === 0,
      protected:
        integer(entry, 'adminCount') === 1 ||
        context.protectedGuids.has(objectGuid) ||
        inProtectedGroup(entry, context.protectedGroups) ||
        (primaryGroup !== null && protectedPrimaryGroups.has(primaryGroup)),
      pwdLastSet: pwdLastSet === null ? null : fileTimeToEpochMs(pwdLastSet),
      passwordNeverExpires: (uac & DONT_EXPIRE_PASSWORD) !== 0,
      lockedOut: lockoutTime > 0,
      groupDns: entry.texts('memberOf').filter((dn) => context.isScopeGroup(dn)),
      usnChanged: required(integer(entry, 'uSNChanged'), 'uSNChanged'),
    }
    return { ok: true, user }
  } catch (err) {
    const detail = err instanceof Error ? err.message : String(err)
    return { ok: false, failure: { distinguishedName: entry.dn, detail } }
  }
}
