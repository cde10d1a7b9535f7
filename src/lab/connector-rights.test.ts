/** @module Proves the connectors' delegated rights by using them over LDAPS, on a throwaway user. */
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { after, beforeEach, describe, test } from 'node:test'
import type { LabInfo, LabUser } from './lab-info.ts'
import { labPassword } from './lab-password.ts'
import { kinit, ldapmodify, testLab } from './lab-test-clients.ts'
import { ldifAdd, ldifModify, unicodePwdLine } from './ldif.ts'

let lab: LabInfo
let target = { dn: '', username: '' }
const userOf = (role: LabUser['role']) => lab.users.find((u) => u.role === role)!
const resetTo = (dn: string, password: string) => ldifModify(dn, [unicodePwdLine(password)])
const write = (dn: string, attribute: string, value: string) => ldifModify(dn, [['replace', attribute, [value]]])
// A change (not a reset) is delete-old plus add-new in one modify; AD checks Change Password on it.
const selfChange = (dn: string, old: string) =>
  `dn: ${dn}\nchangetype: modify\ndelete: unicodePwd\n${unicodePwdLine(old)}\n-\nadd: unicodePwd\n${unicodePwdLine(labPassword())}\n-\n\n`
let targetPassword = ''

describe('connector rights, exercised over LDAPS', () => {
  // Per test, not once: without IDBRIDGE_TEST_LAB every test must fail, and be counted as failed.
  beforeEach(async () => {
    lab = await testLab()
    if (target.dn) return
    // The shared lab's seeded users stay untouched: writes go to a user made for this file.
    const username = `rights-${randomBytes(3).toString('hex')}`
    const dn = `CN=${username},${lab.scope.syncOu}`
    const add = ldifAdd(dn, { objectClass: 'user', sAMAccountName: username, userAccountControl: 512 })
    targetPassword = labPassword()
    const result = await ldapmodify(lab, lab.admin, `${add.trimEnd()}\n${unicodePwdLine(targetPassword)}\n\n`)
    assert.equal(result.code, 0, result.stderr)
    target = { dn, username }
  })

  after(async () => {
    if (target.dn) await ldapmodify(lab, lab.admin, `dn: ${target.dn}\nchangetype: delete\n\n`)
  })

  test('the connector resets a password, and the new one works with kinit', async () => {
    const password = labPassword()
    const result = await ldapmodify(lab, lab.connector, resetTo(target.dn, password))
    assert.equal(result.code, 0, result.stderr)
    targetPassword = password
    assert.equal((await kinit(lab, target.username, password)).code, 0)
  })

  test('the connector writes lockoutTime and pwdLastSet', async () => {
    for (const [attribute, value] of [
      ['lockoutTime', '0'],
      ['pwdLastSet', '0'],
      ['pwdLastSet', '-1'],
    ] as const) {
      const result = await ldapmodify(lab, lab.connector, write(target.dn, attribute, value))
      assert.equal(result.code, 0, `${attribute}=${value}: ${result.stderr}`)
    }
  })

  test('the limited connector gets result 50 on lockoutTime, and on a reset', async () => {
    const unlock = await ldapmodify(lab, lab.limitedConnector, write(target.dn, 'lockoutTime', '0'))
    assert.equal(unlock.code, 50, unlock.stderr)
    assert.match(unlock.stderr, /00002098: .* has no write property access/)
    const reset = await ldapmodify(lab, lab.limitedConnector, resetTo(target.dn, labPassword()))
    assert.equal(reset.code, 50, reset.stderr)
  })

  test('the connector cannot reset a protected account (emulated SDProp works)', async () => {
    for (const dn of [userOf('protectedAdmin').dn, userOf('formerAdmin').dn, lab.admin.dn]) {
      const result = await ldapmodify(lab, lab.connector, resetTo(dn, labPassword()))
      assert.equal(result.code, 50, `${dn}: ${result.stderr}`)
    }
  })

  test('"user cannot change password" stops a self-service change that works for others', async () => {
    const allowed = await ldapmodify(
      lab,
      { dn: target.dn, password: targetPassword },
      selfChange(target.dn, targetPassword),
    )
    assert.equal(allowed.code, 0, allowed.stderr)
    const user = userOf('cannotChange')
    const denied = await ldapmodify(lab, user, selfChange(user.dn, user.password))
    // Samba answers a denied change with 19 from its acl module, where AD would say 50 (no right).
    assert.equal(denied.code, 19, denied.stderr)
    assert.match(denied.stderr, /error in module acl/)
  })
})
