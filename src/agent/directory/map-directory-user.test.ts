/** @module Unit tests of attribute flow: anchors, FILETIME, flags, and one bad user not stopping the rest. */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import type { Entry } from 'ldapts'
import { AdEntry, fileTimeToEpochMs } from './ad-entry.ts'
import { mapDirectoryUser, type UserMappingContext } from './map-directory-user.ts'

const guid = Buffer.from('00112233445566778899aabbccddeeff', 'hex')
const consistency = Buffer.from('ffeeddccbbaa99887766554433221100', 'hex')

function entry(overrides: Partial<Entry> = {}): AdEntry {
  return new AdEntry({
    dn: 'CN=Ada Lovelace,OU=Synced Users,DC=contoso,DC=test',
    objectGUID: guid,
    sAMAccountName: 'ada.lovelace',
    userPrincipalName: 'ada.lovelace@contoso.test',
    givenName: 'Ada',
    sn: 'Lovelace',
    displayName: 'Ada Lovelace',
    mail: 'ada.lovelace@contoso.test',
    userAccountControl: '512',
    pwdLastSet: '134397680590475360',
    uSNChanged: '4100',
    memberOf: ['CN=SSPR Users,OU=Groups,DC=contoso,DC=test', 'CN=Other,OU=Elsewhere,DC=contoso,DC=test'],
    ...overrides,
  } as Entry)
}

const context = (overrides: Partial<UserMappingContext> = {}): UserMappingContext => ({
  knownAnchors: new Map(),
  protectedGuids: new Set(),
  isScopeGroup: (dn) => dn.includes('OU=Groups'),
  ...overrides,
})

describe('mapDirectoryUser', () => {
  test('flows the attributes, with sourceAnchor = base64 objectGUID', () => {
    const mapped = mapDirectoryUser(entry(), context())
    assert.ok(mapped.ok)
    const user = mapped.user
    assert.equal(user.sourceAnchor, guid.toString('base64'))
    assert.equal(user.objectGuid, guid.toString('base64'))
    assert.equal(user.samAccountName, 'ada.lovelace')
    assert.equal(user.surname, 'Lovelace')
    assert.equal(user.mobile, null)
    assert.equal(user.accountEnabled, true)
    assert.equal(user.protected, false)
    assert.equal(user.passwordNeverExpires, false)
    assert.equal(user.lockedOut, false)
    assert.equal(user.pwdLastSet, Date.UTC(2026, 10, 21, 20, 54, 19, 47))
    assert.deepEqual(user.groupDns, ['CN=SSPR Users,OU=Groups,DC=contoso,DC=test'])
    assert.equal(user.usnChanged, 4100)
  })

  test('prefers ms-DS-ConsistencyGuid, but an anchor exported before never changes', () => {
    const withConsistency = entry({ 'mS-DS-ConsistencyGuid': consistency })
    const fresh = mapDirectoryUser(withConsistency, context())
    assert.ok(fresh.ok)
    assert.equal(fresh.user.sourceAnchor, consistency.toString('base64'))
    const known = new Map([[guid.toString('base64'), 'earlier-anchor']])
    const again = mapDirectoryUser(withConsistency, context({ knownAnchors: known }))
    assert.ok(again.ok)
    assert.equal(again.user.sourceAnchor, 'earlier-anchor')
  })

  test('reads disabled, never-expires, locked, must-change and protected', () => {
    const mapped = mapDirectoryUser(
      entry({
        userAccountControl: String(0x2 | 0x200 | 0x10000),
        lockoutTime: '134397680590475360',
        pwdLastSet: '0',
        adminCount: '1',
      }),
      context(),
    )
    assert.ok(mapped.ok)
    assert.equal(mapped.user.accountEnabled, false)
    assert.equal(mapped.user.passwordNeverExpires, true)
    assert.equal(mapped.user.lockedOut, true)
    assert.equal(mapped.user.pwdLastSet, 0)
    assert.equal(mapped.user.protected, true)
    const nested = mapDirectoryUser(entry(), context({ protectedGuids: new Set([guid.toString('base64')]) }))
    assert.ok(nested.ok && nested.user.protected)
    // Membership of a protected (or nested) group is read from memberOf, in any DN spelling.
    const protectedGroups = new Set(['cn=backup helpers,ou=groups,dc=contoso,dc=test'])
    const member = entry({ memberOf: ['CN=Backup Helpers, OU=Groups, DC=contoso, DC=test'] })
    const viaGroup = mapDirectoryUser(member, context({ protectedGroups }))
    assert.ok(viaGroup.ok && viaGroup.user.protected)
    const other = mapDirectoryUser(entry(), context({ protectedGroups }))
    assert.ok(other.ok && !other.user.protected)
    const primary = mapDirectoryUser(entry({ primaryGroupID: '512' }), context())
    assert.ok(primary.ok && primary.user.protected)
    const never = mapDirectoryUser(entry({ pwdLastSet: [] }), context())
    assert.ok(never.ok && never.user.pwdLastSet === null)
  })

  test('a malformed value fails that user only, naming the DN and the attribute', () => {
    const entries = [
      entry(),
      entry({ dn: 'CN=Broken,OU=Synced Users,DC=contoso,DC=test', objectGUID: guid.subarray(0, 15) }),
      entry({ dn: 'CN=Odd,OU=Synced Users,DC=contoso,DC=test', userAccountControl: 'lots' }),
      entry({ dn: 'CN=Short,OU=Synced Users,DC=contoso,DC=test', 'mS-DS-ConsistencyGuid': Buffer.alloc(4) }),
    ]
    const results = entries.map((e) => mapDirectoryUser(e, context()))
    assert.equal(results.filter((r) => r.ok).length, 1)
    const failures = results.flatMap((r) => (r.ok ? [] : [r.failure]))
    assert.deepEqual(
      failures.map((f) => f.distinguishedName.split(',')[0]),
      ['CN=Broken', 'CN=Odd', 'CN=Short'],
    )
    assert.match(failures[0]!.detail, /objectGUID is 15 bytes/)
    assert.match(failures[1]!.detail, /userAccountControl is not an integer/)
    assert.match(failures[2]!.detail, /ConsistencyGuid is 4 bytes/)
  })

  test('FILETIME conversion keeps 0 and rejects garbage', () => {
    assert.equal(fileTimeToEpochMs('0'), 0)
    assert.equal(fileTimeToEpochMs('116444736000000000'), 0 + 0)
    assert.equal(fileTimeToEpochMs('116444736010000000'), 1000)
    assert.throws(() => fileTimeToEpochMs('soon'), /not a FILETIME/)
  })
})
