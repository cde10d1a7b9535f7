/** @module Tests for scim-filter-match.ts. */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { parseScimFilter } from './scim-filter.ts'
import { matchesScimFilter } from './scim-filter-match.ts'

const user = {
  schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'],
  userName: 'BJensen',
  name: { givenName: 'Barbara', familyName: 'Jensen' },
  active: true,
  title: '',
  nickName: null,
  logins: 7,
  emails: [
    { type: 'work', value: 'bjensen@example.com', primary: true },
    { type: 'home', value: 'babs@jensen.org' },
  ],
  meta: { lastModified: '2011-05-13T04:42:34Z' },
  'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User': {
    department: 'Tour Operations',
    manager: { value: 'm1' },
  },
}

function matches(filter: string, value: Record<string, unknown> = user): boolean {
  const parsed = parseScimFilter(filter)
  assert.ok(parsed.ok, parsed.ok ? '' : parsed.error.message)
  return matchesScimFilter(parsed.value, value)
}

describe('matchesScimFilter', () => {
  const cases: ReadonlyArray<readonly [string, boolean]> = [
    ['username eq "bjensen"', true],
    ['userName ne "bjensen"', false],
    ['userName ne "other"', true],
    ['userName co "jen"', true],
    ['userName sw "bj"', true],
    ['userName ew "SEN"', true],
    ['userName ew "bj"', false],
    ['userName gt "a"', true],
    ['userName lt "a"', false],
    ['name.givenName eq "barbara"', true],
    ['name.middleName pr', false],
    ['name.middleName ne "x"', true],
    ['name.middleName eq null', true],
    ['name.givenName eq null', false],
    ['name.givenName ne null', true],
    ['nickName pr', false],
    ['nickName eq null', true],
    ['title pr', false],
    ['name pr', true],
    ['active eq true', true],
    ['active eq "true"', false],
    ['active ne false', true],
    ['active gt false', false],
    ['logins ge 7', true],
    ['logins gt 7', false],
    ['logins eq "7"', false],
    ['meta.lastModified gt "2011-05-13T06:42:33+02:00"', true],
    ['meta.lastModified lt "2011-05-13T04:42:34.001Z"', true],
    ['meta.lastModified eq "2011-05-13T04:42:34.000Z"', true],
    ['emails.value co "jensen.org"', true],
    ['emails[type eq "work" and value co "jensen.org"]', false],
    ['emails[type eq "home" and value co "jensen.org"]', true],
    ['emails[primary eq true]', true],
    ['emails[not (type eq "work")]', true],
    ['emails.type ne "work"', true],
    ['phoneNumbers[type eq "work"]', false],
    ['not (userName eq "bjensen") or emails[type eq "home"]', true],
    ['urn:ietf:params:scim:schemas:core:2.0:User:userName eq "bjensen"', true],
    ['urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department eq "tour operations"', true],
    ['urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value eq "m1"', true],
    ['constructor pr', false],
    ['toString pr', false],
  ]
  for (const [filter, expected] of cases) {
    test(`${filter} → ${expected}`, () => {
      assert.equal(matches(filter), expected)
    })
  }

  test('an element of a multi-valued attribute is matched on its own', () => {
    assert.equal(matches('value eq "ABC"', { value: 'abc', display: 'A' }), true)
    assert.equal(matches('value eq "abd"', { value: 'abc' }), false)
  })
})
