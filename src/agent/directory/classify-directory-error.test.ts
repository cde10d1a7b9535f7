/** @module Unit tests of the error map: LDAP result codes, AD data codes, socket and TLS codes. */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { InsufficientAccessError, InvalidCredentialsError, UnavailableCriticalExtensionError } from 'ldapts'
import { classifyDirectoryError, parseAdDataCode } from './classify-directory-error.ts'

const dc = 'ldaps://dc1.contoso.test'
const sysError = (code: string, message = code) => Object.assign(new Error(message), { code })

describe('classifyDirectoryError', () => {
  test('parses both AD data code spellings', () => {
    assert.equal(
      parseAdDataCode('80090308: LdapErr: DSID-0C0903A9, comment: AcceptSecurityContext error, data 52e, v1db1'),
      '52e',
    )
    assert.equal(parseAdDataCode('0000052D: Constraint violation - check_password_restrictions'), '0000052d')
    assert.equal(parseAdDataCode('00002098: SecErr: DSID-03150F94, problem 4003 (INSUFF_ACCESS_RIGHTS), data 0'), '0')
    assert.equal(parseAdDataCode('no code here'), null)
  })

  test('bind sub-codes map to distinct errors with the codes in data', () => {
    const cases: Array<[string, string]> = [
      ['52e', 'AGENT_ERR_DC_BAD_CREDENTIALS'],
      ['775', 'AGENT_ERR_DC_ACCOUNT_LOCKED'],
      ['532', 'AGENT_ERR_DC_PASSWORD_EXPIRED'],
      ['773', 'AGENT_ERR_DC_PASSWORD_EXPIRED'],
      ['533', 'AGENT_ERR_DC_ACCOUNT_RESTRICTED'],
    ]
    for (const [sub, code] of cases) {
      const error = classifyDirectoryError(
        new InvalidCredentialsError(`80090308: LdapErr: AcceptSecurityContext error, data ${sub}, v1db1`),
        dc,
      )
      assert.equal(error.code, code, sub)
      assert.deepEqual(error.data, { dc, ldapResultCode: 49, adDataCode: sub, systemCode: null })
      assert.match(error.detail!, new RegExp(`^${dc}: .*LDAP result 49, AD data ${sub}`))
      assert.doesNotMatch(error.detail!, /Code: 0x/)
    }
  })

  test('rights, policy, refused control, sockets and certificates', () => {
    const rights = classifyDirectoryError(
      new InsufficientAccessError('00002098: SecErr: problem 4003 (INSUFF_ACCESS_RIGHTS), data 0'),
      dc,
    )
    assert.equal(rights.code, 'AGENT_ERR_DC_INSUFFICIENT_RIGHTS')
    assert.equal(rights.data?.adDataCode, '0')
    assert.equal(
      classifyDirectoryError(Object.assign(new Error('0000052D: Constraint violation'), { code: 19 }), dc).code,
      'AGENT_ERR_DC_PASSWORD_POLICY',
    )
    assert.equal(
      classifyDirectoryError(new UnavailableCriticalExtensionError('00000057: Error processing control'), dc).code,
      'AGENT_ERR_DC_DIRSYNC_REFUSED',
    )
    assert.equal(classifyDirectoryError(sysError('ECONNREFUSED'), dc).code, 'AGENT_ERR_DC_UNREACHABLE')
    assert.equal(classifyDirectoryError(sysError('ENOTFOUND'), dc).code, 'AGENT_ERR_DC_UNREACHABLE')
    assert.equal(classifyDirectoryError(sysError('ETIMEDOUT'), dc).code, 'AGENT_ERR_DC_UNREACHABLE')
    assert.equal(classifyDirectoryError(new Error('Connection timeout'), dc).code, 'AGENT_ERR_DC_UNREACHABLE')
    assert.equal(
      classifyDirectoryError(new Error('SearchRequest: Operation timed out'), dc).code,
      'AGENT_ERR_DC_TIMEOUT',
    )
    for (const code of [
      'DEPTH_ZERO_SELF_SIGNED_CERT',
      'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
      'SELF_SIGNED_CERT_IN_CHAIN',
    ]) {
      const error = classifyDirectoryError(sysError(code), dc)
      assert.equal(error.code, 'AGENT_ERR_DC_CERT_UNTRUSTED')
      assert.deepEqual(error.data, { dc, ldapResultCode: null, adDataCode: null, systemCode: code })
    }
    assert.equal(
      classifyDirectoryError(sysError('ERR_TLS_CERT_ALTNAME_INVALID'), dc).code,
      'AGENT_ERR_DC_CERT_NAME_MISMATCH',
    )
    assert.equal(
      classifyDirectoryError(Object.assign(new Error('odd'), { code: 80 }), dc).code,
      'AGENT_ERR_DC_LDAP_ERROR',
    )
  })
})
