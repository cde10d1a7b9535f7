/** @module Full import against the Samba lab: scope, attribute flow, protected users, anchors, nested groups. */
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { after, beforeEach, describe, test } from 'node:test'
import { type ConnectorTestLab, connectorTestFixture } from './connector-test-lab.ts'
import { LdapDirectoryConnector } from './ldap-directory-connector.ts'

let t: ConnectorTestLab

describe('LdapDirectoryConnector full import (Samba lab)', () => {
  const fixture = connectorTestFixture()
  beforeEach(async () => {
    t = await fixture.get()
  })
  after(() => fixture.cleanup())

  test('imports the lab users in scope with their attributes, and none outside it', async () => {
    const connector = new LdapDirectoryConnector(t.options({ scope: { ous: [t.lab.scope.syncOu] }, pageSize: 10 }))
    const progress: number[] = []
    const result = await connector.fullImport({ onProgress: (done) => progress.push(done) })
    assert.ok(result.ok, result.ok ? '' : result.error.message)
    const { users, failures, cookie } = result.value
    assert.deepEqual(failures, [])
    const bySam = new Map(users.map((u) => [u.samAccountName, u]))
    for (const seeded of t.lab.users) {
      const user = bySam.get(seeded.username)
      if (!seeded.inSyncScope) {
        assert.equal(user, undefined, `${seeded.username} is out of scope`)
        continue
      }
      assert.ok(user, `${seeded.username} missing`)
      assert.equal(user.distinguishedName, seeded.dn)
      assert.equal(user.userPrincipalName, seeded.userPrincipalName)
      assert.equal(user.mail, seeded.mail)
      assert.equal(user.givenName, seeded.givenName)
      assert.equal(user.surname, seeded.sn)
      assert.equal(user.displayName, seeded.displayName)
      assert.equal(user.mobile, seeded.mobile)
      assert.equal(user.sourceAnchor, user.objectGuid)
      assert.equal(user.sourceAnchor, await t.objectGuid(seeded.dn))
      assert.ok(user.usnChanged > 0)
      assert.equal(user.groupDns.length, 0, 'no groups under the sync OU')
    }
    const role = (r: string) => bySam.get(t.lab.users.find((u) => u.role === r)!.username)!
    assert.equal(role('protectedAdmin').protected, true)
    assert.equal(role('formerAdmin').protected, true, 'adminCount=1 stays after leaving Domain Admins')
    assert.equal(role('demo').protected, false)
    assert.equal(role('neverExpires').passwordNeverExpires, true)
    assert.equal(role('demo').passwordNeverExpires, false)
    assert.equal(role('locked').lockedOut, true)
    assert.equal(role('demo').lockedOut, false)
    assert.equal(role('mustChange').pwdLastSet, 0)
    assert.ok(Math.abs(role('demo').pwdLastSet! - Date.now()) < 5 * 365 * 24 * 3600 * 1000)
    assert.ok(progress.length > 1, 'page size 10 reports progress per page')
    assert.equal(progress.at(-1), users.length)
    assert.equal(cookie.mode, 'dirsync')
    assert.equal(cookie.dc, t.lab.ldapUrl)
    assert.match(cookie.highestUsn ?? '', /^\d+$/)
    await connector.close()
  })

  test('prefers ms-DS-ConsistencyGuid as the anchor, and flags a disabled user', async () => {
    const consistency = randomBytes(16)
    const withGuid = await t.addUser('Cora Consistent', { consistencyGuid: consistency })
    const plain = await t.addUser('Paul Plain')
    await t.set(plain, 'userAccountControl', String(0x2 | 0x200))
    const connector = new LdapDirectoryConnector(t.options())
    const result = await connector.fullImport()
    assert.ok(result.ok, result.ok ? '' : result.error.message)
    const byDn = new Map(result.value.users.map((u) => [u.distinguishedName, u]))
    assert.equal(byDn.get(withGuid)?.sourceAnchor, consistency.toString('base64'))
    assert.equal(byDn.get(withGuid)?.objectGuid, await t.objectGuid(withGuid))
    assert.equal(byDn.get(plain)?.sourceAnchor, await t.objectGuid(plain))
    assert.equal(byDn.get(plain)?.accountEnabled, false)
    assert.equal(byDn.get(withGuid)?.accountEnabled, true)
  })

  test('nested membership in a protected group flags a user that has no adminCount', async () => {
    const nested = await t.addUser('Bea Backup')
    const plain = await t.addUser('Ned Normal')
    const group = await t.addGroup('ct-backup-helpers', [nested])
    const backupOperators = `CN=Backup Operators,CN=Builtin,${t.lab.baseDn}`
    await t.admin.modify(backupOperators, [t.add('member', group)])
    try {
      const result = await new LdapDirectoryConnector(t.options()).fullImport()
      assert.ok(result.ok, result.ok ? '' : result.error.message)
      const byDn = new Map(result.value.users.map((u) => [u.distinguishedName, u]))
      assert.equal(byDn.get(nested)?.protected, true)
      assert.equal(byDn.get(plain)?.protected, false)
    } finally {
      await t.removeMember(backupOperators, group)
    }
  })

  test('group scope includes nested members only (LDAP_MATCHING_RULE_IN_CHAIN)', async () => {
    const direct = await t.addUser('Gina Direct')
    const nested = await t.addUser('Nick Nested')
    await t.addUser('Olaf Outsider')
    const inner = await t.addGroup('ct-inner', [nested])
    const scopeGroup = await t.addGroup('ct-scope', [direct, inner])
    const connector = new LdapDirectoryConnector(t.options({ scope: { ous: [t.inOu], groupDn: scopeGroup } }))
    const result = await connector.fullImport()
    assert.ok(result.ok, result.ok ? '' : result.error.message)
    const users = new Map(result.value.users.map((u) => [u.distinguishedName, u]))
    assert.deepEqual([...users.keys()].sort(), [direct, nested].sort())
    assert.deepEqual(users.get(direct)?.groupDns, [scopeGroup])
    assert.deepEqual(users.get(nested)?.groupDns, [inner], 'the inner group is under a scope OU')
  })
})
