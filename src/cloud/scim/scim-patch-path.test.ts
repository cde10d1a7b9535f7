/** @module Tests for scim-patch-path.ts. */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { parseScimPatchPath } from './scim-patch-path.ts'

describe('parseScimPatchPath', () => {
  test('simple, sub-attribute, URN-prefixed and filtered paths', () => {
    const parse = (text: string) => {
      const result = parseScimPatchPath(text)
      assert.ok(result.ok, result.ok ? '' : result.error.message)
      return result.value
    }
    assert.deepEqual(parse('displayName'), { attribute: 'displayName' })
    assert.deepEqual(parse('name.givenName'), { attribute: 'name', subAttribute: 'givenName' })
    assert.deepEqual(parse('urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager'), {
      schema: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User',
      attribute: 'manager',
    })
    const filtered = parse('emails[type eq "work"].value')
    assert.equal(filtered.attribute, 'emails')
    assert.equal(filtered.subAttribute, 'value')
    assert.equal(filtered.filter?.kind, 'compare')
    assert.equal(parse('members[value eq "u1"]').subAttribute, undefined)
  })

  test('malformed paths are invalidPath with a precise detail', () => {
    const cases: ReadonlyArray<readonly [string, string]> = [
      ['emails[type eq "work"].value.x', 'invalid sub-attribute ".value.x" at position 22'],
      ['emails[type eq "work"] or x pr', 'unexpected token "or" at position 23; expected the end of the path'],
      ['name.givenName[x pr]', 'unexpected token "[" at position 14; a value filter cannot follow a sub-attribute'],
      ['members[', 'unexpected end of filter at position 8; expected "(", "not" or an attribute path'],
      ['"x"', `unexpected token '"x"' at position 0; expected an attribute path`],
      [`a${'b'.repeat(2000)}`, 'the path is 2001 characters long; at most 2000 are allowed'],
    ]
    for (const [text, detail] of cases) {
      const result = parseScimPatchPath(text)
      assert.equal(result.ok, false, text)
      if (result.ok) continue
      assert.equal(result.error.code, 'IDB_ERR_INVALID_INPUT')
      assert.deepEqual(result.error.data, { scimType: 'invalidPath' })
      assert.equal(result.error.detail, detail)
    }
  })
})
