/** @module The LDAP reads of one writeback: the user by anchor, protection, policy, hints support, the DACL. */
import { AndFilter, type Client, EqualityFilter, FilterParser } from 'ldapts'
import { AdEntry, escapeFilterText, fileTimeToEpochMs } from '../directory/ad-entry.ts'
import { personFilter, protectedGroupDns } from '../directory/directory-reads.ts'
import { DaclOnlyControl, daclDeniesChangePassword } from './cannot-change-acl.ts'
import { domainPolicy, type PasswordPolicy, psoPolicy } from './password-policy.ts'
import { pickPolicyHintsOid } from './policy-hints-control.ts'
import type { WritebackUser } from './writeback-directory.ts'

const userAttributes = [
  'sAMAccountName',
  'displayName',
  'userAccountControl',
  'adminCount',
  'pwdLastSet',
  'msDS-ResultantPSO',
]
const IN_CHAIN = '1.2.840.113556.1.4.1941'
/** Builtin groups (S-1-5-32-x) and domain RIDs that AdminSDHolder protects; the same lists as the sync's. */
const protectedBuiltinRids = new Set([544, 548, 549, 550, 551, 552])
const protectedDomainRids = new Set([512, 516, 518, 519, 521, 526, 527])
/** Administrator and krbtgt are protected as accounts, whatever their groups. */
const protectedUserRids = new Set([500, 502])

function toUser(entry: AdEntry): WritebackUser {
  const number = (name: string) => {
    const text = entry.text(name)
    return text !== null && /^-?\d+$/.test(text) ? Number(text) : 0
  }
  const pwdLastSet = entry.text('pwdLastSet')
  return {
    dn: entry.dn,
    samAccountName: entry.text('sAMAccountName') ?? '',
    displayName: entry.text('displayName'),
    userAccountControl: number('userAccountControl'),
    adminCount: number('adminCount'),
    pwdLastSet: pwdLastSet === null ? null : fileTimeToEpochMs(pwdLastSet),
    resultantPso: entry.text('msDS-ResultantPSO'),
  }
}

/**
 * The anchor goes in as raw octets on a filter object, never through filter text, so nothing in
 * a request can change the filter's shape. ms-DS-ConsistencyGuid wins over objectGUID, as in sync.
 */
export async function findUsersByAnchor(client: Client, baseDn: string, anchor: Buffer): Promise<WritebackUser[]> {
  for (const attribute of ['mS-DS-ConsistencyGuid', 'objectGUID']) {
    const filter = new AndFilter({
      filters: [FilterParser.parseString(personFilter), new EqualityFilter({ attribute, value: anchor })],
    })
    const { searchEntries } = await client.search(baseDn, {
      scope: 'sub',
      filter,
      attributes: ['distinguishedName'],
    })
    if (searchEntries.length === 0) continue
    // Constructed attributes such as msDS-ResultantPSO are only returned to a base-scope read.
    const users: WritebackUser[] = []
    for (const found of searchEntries) {
      const { searchEntries: read } = await client.search(found.dn, { scope: 'base', attributes: userAttributes })
      if (read[0]) users.push(toUser(new AdEntry(read[0])))
    }
    return users
  }
  return []
}

/** S-1-5-21-…: revision, sub-authority count, a 48-bit big-endian authority, little-endian sub-authorities. */
function sidText(sid: Buffer): string | null {
  if (sid.length < 8 || sid.length !== 8 + sid[1]! * 4) return null
  const subs = Array.from({ length: sid[1]! }, (_, i) => sid.readUInt32LE(8 + i * 4))
  return `S-${sid[0]}-${sid.readUIntBE(2, 6)}${subs.map((n) => `-${n}`).join('')}`
}

/**
 * Whether a user's own SID or token (tokenGroups: every group, nested and primary) holds a
 * protected SID of this domain or of the builtin domain.
 */
export function tokenIsProtected(domainSid: Buffer, userSid: Buffer | null, groups: readonly Buffer[]): boolean {
  const domain = sidText(domainSid)
  if (domain === null) return false
  const protectedSids = new Set([
    ...[...protectedBuiltinRids].map((rid) => `S-1-5-32-${rid}`),
    ...[...protectedDomainRids].map((rid) => `${domain}-${rid}`),
  ])
  const own = userSid ? sidText(userSid) : null
  if (own !== null && [...protectedUserRids].some((rid) => own === `${domain}-${rid}`)) return true
  return groups.some((sid) => protectedSids.has(sidText(sid) ?? ''))
}

/**
 * tokenGroups (one base read, nested and primary groups included) compared to the protected
 * SIDs. When tokenGroups is hidden, falls back to an in-chain membership search of this one user.
 */
export async function isProtectedMember(client: Client, baseDn: string, user: WritebackUser): Promise<boolean> {
  const binary = ['tokenGroups', 'objectSid']
  const [root, self] = await Promise.all([
    client.search(baseDn, { scope: 'base', attributes: ['objectSid'], explicitBufferAttributes: binary }),
    client.search(user.dn, { scope: 'base', attributes: binary, explicitBufferAttributes: binary }),
  ])
  const domainSid = new AdEntry(root.searchEntries[0] ?? { dn: '' }).buffer('objectSid')
  if (!domainSid) throw new Error(`${baseDn} has no objectSid; is it the domain root?`)
  const entry = new AdEntry(self.searchEntries[0] ?? { dn: user.dn })
  const groups = entry.all('tokenGroups').filter((v): v is Buffer => Buffer.isBuffer(v))
  // tokenGroups always holds at least the primary group, so an empty list means it was hidden.
  if (groups.length > 0) return tokenIsProtected(domainSid, entry.buffer('objectSid'), groups)
  const groupDns = await protectedGroupDns(client, baseDn)
  if (groupDns.length === 0) return false
  const any = groupDns.map((dn) => `(memberOf:${IN_CHAIN}:=${escapeFilterText(dn)})`).join('')
  const primary = [...protectedDomainRids].map((rid) => `(primaryGroupID=${rid})`).join('')
  const filter = `(|${any}${primary})`
  const { searchEntries } = await client.search(user.dn, { scope: 'base', filter, attributes: ['cn'] })
  return searchEntries.length > 0
}

/** Reads supportedControl from the rootDSE. */
export async function readPolicyHintsOid(client: Client): Promise<string | null> {
  const { searchEntries } = await client.search('', { scope: 'base', attributes: ['supportedControl'] })
  return pickPolicyHintsOid(new AdEntry(searchEntries[0] ?? { dn: '' }).texts('supportedControl'))
}

/** The domain policy, overlaid by the user's resultant PSO when the connector may read it. */
export async function readEffectivePolicy(
  client: Client,
  baseDn: string,
  user: WritebackUser,
): Promise<PasswordPolicy> {
  const { searchEntries } = await client.search(baseDn, {
    scope: 'base',
    attributes: ['minPwdLength', 'pwdProperties', 'minPwdAge', 'pwdHistoryLength'],
  })
  const root = new AdEntry(searchEntries[0] ?? { dn: baseDn })
  const domain = domainPolicy({
    minPwdLength: root.text('minPwdLength'),
    pwdProperties: root.text('pwdProperties'),
    minPwdAge: root.text('minPwdAge'),
    pwdHistoryLength: root.text('pwdHistoryLength'),
  })
  if (!user.resultantPso) return domain
  const pso = await client
    .search(user.resultantPso, {
      scope: 'base',
      attributes: [
        'msDS-MinimumPasswordLength',
        'msDS-PasswordComplexityEnabled',
        'msDS-MinimumPasswordAge',
        'msDS-PasswordHistoryLength',
      ],
    })
    .then((r) => new AdEntry(r.searchEntries[0] ?? { dn: user.resultantPso! }))
    // An unreadable PSO is the normal case for a delegated connector, not a failure.
    .catch(() => new AdEntry({ dn: user.resultantPso! }))
  return psoPolicy(user.resultantPso, {
    minimumPasswordLength: pso.text('msDS-MinimumPasswordLength'),
    complexityEnabled: pso.text('msDS-PasswordComplexityEnabled'),
    minimumPasswordAge: pso.text('msDS-MinimumPasswordAge'),
    historyLength: pso.text('msDS-PasswordHistoryLength'),
  }, domain)
}

/** Whether the user's DACL denies Change Password; false when the DACL cannot be read. */
export async function readUserCannotChange(client: Client, user: WritebackUser): Promise<boolean> {
  const { searchEntries } = await client.search(
    user.dn,
    { scope: 'base', attributes: ['nTSecurityDescriptor'], explicitBufferAttributes: ['nTSecurityDescriptor'] },
    [new DaclOnlyControl()],
  )
  const sd = new AdEntry(searchEntries[0] ?? { dn: user.dn }).buffer('nTSecurityDescriptor')
  return sd !== null && daclDeniesChangePassword(sd)
}
