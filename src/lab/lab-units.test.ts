/** @module Unit tests of the lab's pure parts: seed plan, ACEs, SDProp emulation, LDIF, SD parsing. */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { adGuids, connectorAces, limitedConnectorAces } from './connector-acl.ts'
import { labUserRoles } from './lab-info.ts'
import { resolveLabOptions } from './lab-options.ts'
import { labPassword } from './lab-password.ts'
import { ldifAdd, ldifLine, unicodePwdLine } from './ldif.ts'
import { protectedDescriptor } from './protected-dacl.ts'
import { parseGuid, parseSecurityDescriptor, SE_DACL_PROTECTED } from './security-descriptor.ts'
import { buildSeedPlan } from './seed-plan.ts'

const plan = () =>
  buildSeedPlan({ realm: 'CONTOSO.TEST', netbiosDomain: 'CONTOSO', minPasswordAgeDays: 0, bulkUsers: 0 })

describe('lab units', () => {
  test('the seed plan has 20 demo users, every special role, and valid unique account names', () => {
    const seed = plan()
    assert.equal(seed.users.filter((u) => u.role === 'demo').length, 20)
    for (const role of labUserRoles)
      assert.ok(
        seed.users.some((u) => u.role === role),
        role,
      )
    const names = seed.users.map((u) => u.username)
    assert.equal(new Set(names).size, names.length)
    for (const name of names) assert.match(name, /^[a-z.-]{3,20}$/)
    assert.ok(seed.users.filter((u) => u.role === 'outOfScope').every((u) => u.dn.endsWith(seed.scope.outOfScopeOu)))
    assert.equal(seed.baseDn, 'DC=contoso,DC=test')
  })

  test('passwords always meet AD complexity and never contain a name token', () => {
    for (let i = 0; i < 500; i++) {
      const password = labPassword()
      assert.equal(password.length, 16)
      for (const re of [/[A-Z]/, /[a-z]/, /[0-9]/, /[^A-Za-z0-9]/]) assert.match(password, re)
      assert.doesNotMatch(password, /[aeiouyAEIOUY]/)
    }
  })

  test('connector ACEs are inherit-only on users for password rights and plain on the root for the rest', () => {
    const aces = connectorAces('S-1-5-21-1-2-3-1105')
    assert.equal(aces.length, 7)
    assert.ok(aces.includes(`(OA;CIIO;CR;${adGuids.resetPassword};${adGuids.userClass};S-1-5-21-1-2-3-1105)`))
    assert.ok(aces.includes(`(OA;CIIO;WP;${adGuids.lockoutTime};${adGuids.userClass};S-1-5-21-1-2-3-1105)`))
    assert.ok(aces.includes(`(OA;;CR;${adGuids.replicationGetChangesAll};;S-1-5-21-1-2-3-1105)`))
    const limited = limitedConnectorAces('S-1').join('')
    assert.ok(!limited.includes(adGuids.resetPassword) && !limited.includes(adGuids.lockoutTime))
  })

  test('the protected descriptor keeps explicit ACEs only and blocks inheritance', () => {
    const holder =
      'O:DAG:DAD:AI(A;;RPWP;;;DA)(OA;CIIOID;CR;00299570-246d-11d0-a768-00aa006e0529;bf967aba-0de6-11d0-a285-00aa003049e2;S-1-5-21-9-1105)(A;;RPLCLORC;;;AU)S:AI(AU;SA;CR;;;DU)'
    const result = protectedDescriptor(holder)
    assert.match(result, /^O:DAG:DAD:PAI\(A;;RPWP;;;DA\)\(A;;RPLCLORC;;;AU\)/)
    assert.doesNotMatch(result, /S-1-5-21-9-1105|;ID|S:/)
    assert.ok(result.includes(`(OA;;CR;${adGuids.changePassword};;PS)`))
    assert.throws(() => protectedDescriptor('garbage'))
  })

  test('LDIF base64-encodes what it must and the password the AD way', () => {
    assert.equal(ldifLine('sn', 'Lovelace'), 'sn: Lovelace')
    assert.equal(ldifLine('sn', ' leading'), `sn:: ${Buffer.from(' leading').toString('base64')}`)
    assert.equal(ldifLine('sn', 'Müller'), `sn:: ${Buffer.from('Müller').toString('base64')}`)
    assert.equal(unicodePwdLine('a'), `unicodePwd:: ${Buffer.from('"a"', 'utf16le').toString('base64')}`)
    assert.equal(
      ldifAdd('CN=x', { objectClass: ['top', 'user'] }),
      'dn: CN=x\nchangetype: add\nobjectClass: top\nobjectClass: user\n\n',
    )
  })

  test('a binary security descriptor decodes to control bits, SIDs and object ACEs', () => {
    const sid = Buffer.from([1, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0]) // S-1-1-0 (Everyone)
    const guid = (text: string) => {
      const hex = text.replaceAll('-', '')
      const b = Buffer.from(hex, 'hex')
      return Buffer.concat([
        b.subarray(0, 4).reverse(),
        b.subarray(4, 6).reverse(),
        b.subarray(6, 8).reverse(),
        b.subarray(8),
      ])
    }
    const objectAce = Buffer.concat([
      Buffer.from([0x05, 0x0a, 0, 0]),
      Buffer.from([0x00, 0x01, 0, 0]), // mask 0x100
      Buffer.from([0x03, 0, 0, 0]), // both GUIDs present
      guid(adGuids.resetPassword),
      guid(adGuids.userClass),
      sid,
    ])
    objectAce.writeUInt16LE(objectAce.length, 2)
    const acl = Buffer.concat([Buffer.from([4, 0, 0, 0, 1, 0, 0, 0]), objectAce])
    acl.writeUInt16LE(acl.length, 2)
    const header = Buffer.alloc(20)
    header.writeUInt8(1, 0)
    header.writeUInt16LE(0x8004 | SE_DACL_PROTECTED, 2)
    header.writeUInt32LE(20, 4) // owner
    header.writeUInt32LE(20 + sid.length, 16) // dacl
    const sd = parseSecurityDescriptor(Buffer.concat([header, sid, acl]))
    assert.equal(sd.control & SE_DACL_PROTECTED, SE_DACL_PROTECTED)
    assert.equal(sd.owner, 'S-1-1-0')
    assert.equal(sd.group, null)
    assert.deepEqual(sd.dacl, [
      {
        type: 5,
        flags: 0x0a,
        mask: 0x100,
        objectType: adGuids.resetPassword,
        inheritedObjectType: adGuids.userClass,
        sid: 'S-1-1-0',
      },
    ])
    assert.equal(parseGuid(guid(adGuids.lockoutTime), 0), adGuids.lockoutTime)
  })

  test('the lab address must be a loopback address of its own', () => {
    assert.equal(resolveLabOptions({}).address, '127.0.0.11')
    for (const address of ['127.0.0.1', '10.0.0.1', 'localhost', '127.0.0.255']) {
      assert.throws(() => resolveLabOptions({ address }), /IDB_ERR_LAB_ADDRESS_INVALID/)
    }
  })
})
