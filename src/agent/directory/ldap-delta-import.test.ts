/** @module Delta import against the Samba lab: DirSync, moves, deletes, cookie resume, uSNChanged fallback. */
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { after, beforeEach, describe, test } from 'node:test'
import { type ConnectorTestLab, connectorTestFixture } from './connector-test-lab.ts'
import type { DeltaCookie } from './directory-connector.ts'
import type { DirectoryChange } from './directory-records.ts'
import { LdapDirectoryConnector } from './ldap-directory-connector.ts'

let t: ConnectorTestLab

function summary(changes: DirectoryChange[]) {
  return changes
    .map((c) =>
      c.kind === 'upsert' ? `upsert ${c.user.displayName}` : `delete ${c.distinguishedName.split(',')[0]} ${c.reason}`,
    )
    .sort()
}

async function delta(connector: LdapDirectoryConnector, cookie: DeltaCookie) {
  const result = await connector.deltaImport(cookie)
  assert.ok(result.ok, result.ok ? '' : result.error.message)
  return result.value
}

/** Runs the same scenario through DirSync and through the uSNChanged fallback. */
for (const mode of ['dirsync', 'usn'] as const) {
  describe(`LdapDirectoryConnector delta import, ${mode} (Samba lab)`, () => {
    const fixture = connectorTestFixture()
    beforeEach(async () => {
      t = await fixture.get()
    })
    after(() => fixture.cleanup())

    test('sees a change, a new user, a move out of scope, a move in, and a delete', async () => {
      const stays = await t.addUser('Dora Delta')
      const leaves = await t.addUser('Mo Mover')
      const dies = await t.addUser('Del Doomed')
      const comesBack = await t.addUser('Ina Incoming', { ou: t.outOu })
      const options = t.options({ forceUsnFallback: mode === 'usn' })
      const connector = new LdapDirectoryConnector(options)
      const full = await connector.fullImport()
      assert.ok(full.ok, full.ok ? '' : full.error.message)
      assert.equal(full.value.cookie.mode, mode)
      const anchorOf = new Map(full.value.users.map((u) => [u.distinguishedName, u.sourceAnchor]))
      assert.equal(anchorOf.size, 3)

      const quiet = await delta(connector, full.value.cookie)
      assert.deepEqual(summary(quiet.changes), [], 'nothing changed yet')

      await t.set(stays, 'mobile', '+1 555 0199')
      await t.set(stays, 'mS-DS-ConsistencyGuid', randomBytes(16))
      const born = await t.addUser('Nell Newborn')
      await t.admin.modifyDN(leaves, `CN=Mo Mover,${t.outOu}`)
      await t.admin.modifyDN(comesBack, `CN=Ina Incoming,${t.inOu}`)
      await t.admin.del(dies)

      const d = await delta(connector, quiet.cookie)
      assert.deepEqual(summary(d.changes), [
        'delete CN=Del Doomed deleted',
        'delete CN=Mo Mover out-of-scope',
        'upsert Dora Delta',
        'upsert Ina Incoming',
        'upsert Nell Newborn',
      ])
      assert.equal(d.cookie.mode, mode)
      const upserts = new Map(
        d.changes.flatMap((c) => (c.kind === 'upsert' ? [[c.user.displayName, c.user] as const] : [])),
      )
      assert.equal(upserts.get('Dora Delta')?.mobile, '+1 555 0199')
      assert.equal(upserts.get('Dora Delta')?.sourceAnchor, anchorOf.get(stays), 'an exported anchor never changes')
      assert.equal(upserts.get('Nell Newborn')?.distinguishedName, born)
      const deletes = new Map(d.changes.flatMap((c) => (c.kind === 'delete' ? [[c.reason, c] as const] : [])))
      assert.equal(deletes.get('deleted')?.sourceAnchor, anchorOf.get(dies))
      assert.equal(deletes.get('out-of-scope')?.sourceAnchor, anchorOf.get(leaves))

      const after = await delta(connector, d.cookie)
      assert.deepEqual(summary(after.changes), [], 'each change is reported once')
      const events = options.eventLog.events.filter((e) => e.id === 9003)
      assert.equal(events.length, 3)
    })

    test('group scope: leaving the scoping group deletes as out-of-scope, joining a nested group upserts', async () => {
      const member = await t.addUser('Greta Groupie')
      const joiner = await t.addUser('Jon Joiner')
      const inner = await t.addGroup(`ct-inner-${mode}`, [])
      const group = await t.addGroup(`ct-scope-${mode}`, [member, inner])
      const connector = new LdapDirectoryConnector(
        t.options({ forceUsnFallback: mode === 'usn', scope: { ous: [t.inOu], groupDn: group } }),
      )
      const full = await connector.fullImport()
      assert.ok(full.ok)
      assert.deepEqual(
        full.value.users.map((u) => u.displayName),
        ['Greta Groupie'],
      )
      await t.removeMember(group, member)
      await t.admin.modify(inner, [t.add('member', joiner)])
      const d = await delta(connector, full.value.cookie)
      assert.deepEqual(summary(d.changes), ['delete CN=Greta Groupie out-of-scope', 'upsert Jon Joiner'])
    })

    test('joining or leaving a group nested in a protected group re-exports the user, though only the group changed', async () => {
      const user = await t.addUser(`Pia Promoted ${mode}`)
      const helpers = await t.addGroup(`ct-protected-helpers-${mode}`, [])
      const backupOperators = `CN=Backup Operators,CN=Builtin,${t.lab.baseDn}`
      await t.admin.modify(backupOperators, [t.add('member', helpers)])
      try {
        const connector = new LdapDirectoryConnector(t.options({ forceUsnFallback: mode === 'usn' }))
        const full = await connector.fullImport()
        assert.ok(full.ok, full.ok ? '' : full.error.message)
        assert.equal(full.value.users.find((u) => u.distinguishedName === user)?.protected, false)
        await t.admin.modify(helpers, [t.add('member', user)])
        const joined = await delta(connector, full.value.cookie)
        const promoted = joined.changes.find((c) => c.kind === 'upsert' && c.user.distinguishedName === user)
        assert.equal(promoted?.kind === 'upsert' && promoted.user.protected, true)
        await t.removeMember(helpers, user)
        const left = await delta(connector, joined.cookie)
        const demoted = left.changes.find((c) => c.kind === 'upsert' && c.user.distinguishedName === user)
        assert.equal(demoted?.kind === 'upsert' && demoted.user.protected, false)
      } finally {
        await t.removeMember(backupOperators, helpers)
      }
    })

    test('a new connector resumes from the stored cookie and known anchors, seeing only new changes', async () => {
      const first = await t.addUser('Rita Resume')
      const options = t.options({ forceUsnFallback: mode === 'usn' })
      const before = new LdapDirectoryConnector(options)
      const full = await before.fullImport()
      assert.ok(full.ok)
      await t.set(first, 'mobile', '+1 555 0111')
      const d1 = await delta(before, full.value.cookie)
      assert.ok(summary(d1.changes).includes('upsert Rita Resume'))
      const stored = JSON.parse(JSON.stringify(d1.cookie)) as DeltaCookie
      const anchors = new Map(before.exportedAnchors())
      await before.close()

      const later = await t.addUser('Lou Later')
      await t.set(first, 'mS-DS-ConsistencyGuid', randomBytes(16))
      await t.admin.del(first)
      const restarted = new LdapDirectoryConnector(
        t.options({ forceUsnFallback: mode === 'usn', knownAnchors: anchors }),
      )
      const ritaGuid = [...anchors.keys()].find(
        (guid) => anchors.get(guid) === d1.changes.find((c) => c.kind === 'upsert')?.user.sourceAnchor,
      )
      const d2 = await delta(restarted, stored)
      const kinds = d2.changes
        .map((c) => `${c.kind} ${c.kind === 'upsert' ? c.user.distinguishedName : c.reason}`)
        .sort()
      assert.deepEqual(kinds, ['delete deleted', `upsert ${later}`])
      const deleted = d2.changes.find((c) => c.kind === 'delete')
      // The restarted agent never read Rita, so it knows her anchor (the join key) but not her DN.
      assert.equal(deleted?.sourceAnchor, anchors.get(ritaGuid!))
      assert.ok(deleted?.sourceAnchor)
    })
  })
}
