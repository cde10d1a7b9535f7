/** @module Proves the seeded lab with real clients: kinit, smbclient, ldapsearch and ldapmodify. */
import assert from 'node:assert/strict'
import { beforeEach, describe, test } from 'node:test'
import { adGuids } from './connector-acl.ts'
import type { LabInfo, LabUser } from './lab-info.ts'
import { kinit, ldapsearch, smbclient, testLab } from './lab-test-clients.ts'
import { aceFlags, aceTypes, parseSecurityDescriptor, parseSid, SE_DACL_PROTECTED } from './security-descriptor.ts'

let lab: LabInfo
const userOf = (role: LabUser['role']) => lab.users.find((u) => u.role === role)!
const demo = () => lab.users.find((u) => u.role === 'demo')!
const text = (values: Buffer[] | undefined) => (values ?? []).map((v) => v.toString('utf8'))

async function readOne(dn: string, attributes: string[], sdFlags?: number) {
  const [entry] = await ldapsearch(lab, lab.admin, dn, { attributes, sdFlags })
  assert.ok(entry, `${dn} not found`)
  return entry
}

async function sidOf(dn: string): Promise<string> {
  return parseSid((await readOne(dn, ['objectSid'])).get('objectsid')![0]!, 0)
}

async function daclOf(dn: string) {
  return parseSecurityDescriptor((await readOne(dn, ['nTSecurityDescriptor'], 4)).get('ntsecuritydescriptor')![0]!)
}

describe('the seeded lab, through real clients', () => {
  // Per test, not once: without IDBRIDGE_TEST_LAB every test must fail, and be counted as failed.
  beforeEach(async () => {
    lab = await testLab()
  })

  test('kinit accepts a demo user and the connector, and rejects a wrong password', async () => {
    const ok = await kinit(lab, demo().username, demo().password)
    assert.equal(ok.code, 0, ok.stderr)
    assert.match(ok.stdout, new RegExp(`Default principal: ${demo().username}@${lab.realm}`))
    assert.equal((await kinit(lab, lab.connector.username, lab.connector.password)).code, 0)
    const bad = await kinit(lab, demo().username, `${demo().password}x`)
    assert.notEqual(bad.code, 0)
    assert.match(bad.stderr, /Password incorrect|Preauthentication failed/i)
  })

  test('smbclient logs a demo user on to netlogon and refuses a wrong password', async () => {
    const user = lab.users[1]!
    const ok = await smbclient(lab, user.username, user.password, 'netlogon', 'ls')
    assert.equal(ok.code, 0, ok.stderr + ok.stdout)
    assert.match(ok.stdout, /blocks of size/)
    const bad = await smbclient(lab, user.username, 'Wrong-pass-1', 'netlogon', 'ls')
    assert.notEqual(bad.code, 0)
    assert.match(bad.stdout + bad.stderr, /NT_STATUS_LOGON_FAILURE/)
  })

  test('the domain root carries exactly the connector ACEs, and fewer for the limited connector', async () => {
    const dacl = (await daclOf(lab.baseDn)).dacl
    const aces = (sid: string) =>
      dacl
        .filter((a) => a.sid === sid)
        .map((a) => `${a.type}/${a.flags}/${a.mask}/${a.objectType}/${a.inheritedObjectType ?? ''}`)
        .sort()
    const ciio = aceFlags.containerInherit | aceFlags.inheritOnly
    const { allowObject } = aceTypes
    const cr = 0x100
    const wp = 0x20
    const user = adGuids.userClass
    const g = adGuids
    const full = [
      `${allowObject}/${ciio}/${cr}/${g.resetPassword}/${user}`,
      `${allowObject}/${ciio}/${cr}/${g.changePassword}/${user}`,
      `${allowObject}/${ciio}/${wp}/${g.lockoutTime}/${user}`,
      `${allowObject}/${ciio}/${wp}/${g.pwdLastSet}/${user}`,
      `${allowObject}/0/${cr}/${g.unexpirePassword}/`,
      `${allowObject}/0/${cr}/${g.replicationGetChanges}/`,
      `${allowObject}/0/${cr}/${g.replicationGetChangesAll}/`,
    ].sort()
    assert.deepEqual(aces(await sidOf(lab.connector.dn)), full)
    const limited = aces(await sidOf(lab.limitedConnector.dn))
    assert.equal(limited.length, 3)
    assert.ok(!limited.some((a) => a.includes(g.resetPassword) || a.includes(g.lockoutTime)))
  })

  test('protected accounts have the SDProp result: adminCount=1 and a protected DACL without the connector', async () => {
    const connectorSid = await sidOf(lab.connector.dn)
    for (const dn of [userOf('protectedAdmin').dn, userOf('formerAdmin').dn, lab.admin.dn]) {
      const sd = await daclOf(dn)
      assert.ok(sd.control & SE_DACL_PROTECTED, `${dn} DACL is not protected`)
      assert.ok(!sd.dacl.some((a) => a.flags & aceFlags.inherited), `${dn} has inherited ACEs`)
      assert.ok(!sd.dacl.some((a) => a.sid === connectorSid), `${dn} grants the connector`)
      assert.deepEqual(text((await readOne(dn, ['adminCount'])).get('admincount')), ['1'])
    }
    const domainAdmins = `CN=Domain Admins,CN=Users,${lab.baseDn}`
    assert.ok(text((await readOne(userOf('protectedAdmin').dn, ['memberOf'])).get('memberof')).includes(domainAdmins))
    assert.ok(!text((await readOne(userOf('formerAdmin').dn, ['memberOf'])).get('memberof')).includes(domainAdmins))
    // An ordinary user inherits the connector's Reset Password from the root.
    const normal = await daclOf(demo().dn)
    assert.equal(normal.control & SE_DACL_PROTECTED, 0)
    assert.ok(normal.dacl.some((a) => a.sid === connectorSid && a.objectType === adGuids.resetPassword))
  })

  test('the locked-out user is really locked: kinit refuses it and the DC computes UF_LOCKOUT', async () => {
    const locked = userOf('locked')
    const result = await kinit(lab, locked.username, locked.password)
    assert.notEqual(result.code, 0)
    assert.match(result.stderr, /revoked/i)
    const entry = await readOne(locked.dn, ['lockoutTime', 'badPwdCount', 'msDS-User-Account-Control-Computed'])
    assert.ok(Number(text(entry.get('lockouttime'))[0]) > 0)
    assert.equal(Number(text(entry.get('msds-user-account-control-computed'))[0]) & 0x10, 0x10)
  })

  test('the special users carry their flags', async () => {
    const mustChange = userOf('mustChange')
    assert.deepEqual(text((await readOne(mustChange.dn, ['pwdLastSet'])).get('pwdlastset')), ['0'])
    assert.match((await kinit(lab, mustChange.username, mustChange.password)).stdout, /Password expired/i)
    const never = await readOne(userOf('neverExpires').dn, ['userAccountControl'])
    assert.equal(Number(text(never.get('useraccountcontrol'))[0]) & 0x10000, 0x10000)
    const cannot = (await daclOf(userOf('cannotChange').dn)).dacl
    const denies = cannot.filter((a) => a.type === aceTypes.denyObject && a.objectType === adGuids.changePassword)
    assert.deepEqual(denies.map((a) => a.sid).sort(), ['S-1-1-0', 'S-1-5-10'])
  })

  test('scopes: 20 demo users with contact data in sync scope, an out-of-scope OU, an SSPR group', async () => {
    const synced = await ldapsearch(lab, lab.admin, lab.scope.syncOu, {
      scope: 'one',
      filter: '(&(objectClass=user)(description=idbridge lab demo user))',
      attributes: ['givenName', 'sn', 'mail', 'mobile'],
    })
    assert.equal(synced.length, 20)
    for (const entry of synced) for (const a of ['givenname', 'sn', 'mail', 'mobile']) assert.ok(entry.get(a), a)
    const outside = await ldapsearch(lab, lab.admin, lab.scope.outOfScopeOu, {
      scope: 'one',
      filter: '(objectClass=user)',
    })
    assert.equal(outside.length, lab.users.filter((u) => !u.inSyncScope).length)
    const members = text((await readOne(lab.scope.ssprGroupDn, ['member'])).get('member'))
    assert.deepEqual(
      members.sort(),
      lab.users
        .filter((u) => u.ssprMember)
        .map((u) => u.dn)
        .sort(),
    )
  })

  test('the password policy is the documented one', async () => {
    const root = await readOne(lab.baseDn, [
      'minPwdLength',
      'pwdHistoryLength',
      'minPwdAge',
      'pwdProperties',
      'lockoutThreshold',
    ])
    assert.deepEqual(text(root.get('minpwdlength')), ['8'])
    assert.deepEqual(text(root.get('pwdhistorylength')), ['24'])
    assert.deepEqual(text(root.get('minpwdage')), [String(-lab.policy.minAgeDays * 864_000_000_000)])
    assert.equal(Number(text(root.get('pwdproperties'))[0]) & 1, 1)
    assert.deepEqual(text(root.get('lockoutthreshold')), ['5'])
  })
})
