/** @module Tests for scim-patch.ts. */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { applyScimPatch, type ScimResource } from './scim-patch.ts'
import { SCIM_PATCH_OP_SCHEMA } from './scim-patch-request.ts'

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'

function user(): ScimResource {
  return {
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
    id: '2819c223',
    externalId: 'bjensen',
    userName: 'bjensen@example.com',
    displayName: 'Babs Jensen',
    active: true,
    name: { givenName: 'Barbara', familyName: 'Jensen' },
    emails: [
      { type: 'work', value: 'bjensen@example.com', primary: true },
      { type: 'home', value: 'babs@jensen.org' },
    ],
    meta: { resourceType: 'User', lastModified: '2011-05-13T04:42:34Z' },
  }
}

function group(): ScimResource {
  return {
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'],
    id: 'g1',
    displayName: 'Tour Guides',
    members: [
      { value: 'u1', display: 'Babs' },
      { value: 'u2', display: 'Mandy' },
      { value: 'u3', display: 'Kim' },
    ],
  }
}

function patch(...operations: unknown[]): unknown {
  return { schemas: [SCIM_PATCH_OP_SCHEMA], Operations: operations }
}

function apply(resource: ScimResource, body: unknown): ScimResource {
  const before = structuredClone(resource)
  const result = applyScimPatch(resource, body)
  assert.ok(result.ok, result.ok ? '' : result.error.message)
  assert.deepEqual(resource, before, 'the input must not change')
  assert.notEqual(result.value, resource)
  return result.value
}

function fails(resource: ScimResource, body: unknown, scimType: string, detail: string | RegExp): void {
  const before = structuredClone(resource)
  const result = applyScimPatch(resource, body)
  assert.deepEqual(resource, before, 'the input must not change')
  assert.equal(result.ok, false)
  if (result.ok) return
  assert.equal(result.error.code, 'IDB_ERR_INVALID_INPUT')
  assert.deepEqual(result.error.data, { scimType })
  if (typeof detail === 'string') assert.equal(result.error.detail, detail)
  else assert.match(result.error.detail ?? '', detail)
}

describe('applyScimPatch: Azure AD (Entra ID) style bodies', () => {
  test('Replace with capital R, simple and sub-attribute paths, keeping existing key spelling', () => {
    const out = apply(
      user(),
      patch(
        { op: 'Replace', path: 'DISPLAYNAME', value: 'Barbara J.' },
        { op: 'Replace', path: 'name.GivenName', value: 'Barb' },
        { op: 'Add', path: 'title', value: 'Tour Guide' },
      ),
    )
    assert.equal(out.displayName, 'Barbara J.')
    assert.equal('DISPLAYNAME' in out, false)
    assert.deepEqual(out.name, { givenName: 'Barb', familyName: 'Jensen' })
    assert.equal(out.title, 'Tour Guide')
  })

  test('no-path Replace with dotted keys and active as the string "False"', () => {
    const out = apply(
      user(),
      patch({
        op: 'Replace',
        value: { active: 'False', 'name.familyName': 'Doe', [`${ENTERPRISE}:department`]: 'Sales' },
      }),
    )
    assert.equal(out.active, false)
    assert.deepEqual(out.name, { givenName: 'Barbara', familyName: 'Doe' })
    assert.deepEqual(out[ENTERPRISE], { department: 'Sales' })
    assert.deepEqual(out.schemas, ['urn:ietf:params:scim:schemas:core:2.0:User', ENTERPRISE])
  })

  test('a value filter path replaces the matched element’s sub-attribute only', () => {
    const out = apply(user(), patch({ op: 'Replace', path: 'emails[type eq "work"].value', value: 'b@new.example' }))
    assert.deepEqual(out.emails, [
      { type: 'work', value: 'b@new.example', primary: true },
      { type: 'home', value: 'babs@jensen.org' },
    ])
  })

  test('Add through a value filter with no match creates the element the filter describes', () => {
    const out = apply(user(), patch({ op: 'Add', path: 'phoneNumbers[type eq "mobile"].value', value: '+1 555 0100' }))
    assert.deepEqual(out.phoneNumbers, [{ type: 'mobile', value: '+1 555 0100' }])
  })

  test('enterprise manager by full URN path', () => {
    const out = apply(user(), patch({ op: 'Add', path: `${ENTERPRISE}:manager`, value: { value: 'm1' } }))
    assert.deepEqual(out[ENTERPRISE], { manager: { value: 'm1' } })
    const cleared = apply(out, patch({ op: 'Remove', path: `${ENTERPRISE}:manager` }))
    assert.deepEqual(cleared[ENTERPRISE], {})
  })

  test('group: Add members appends and skips members already present; Remove with a value array drops them', () => {
    const added = apply(group(), patch({ op: 'Add', path: 'members', value: [{ value: 'u4' }, { value: 'u1' }] }))
    assert.deepEqual(
      (added.members as { value: string }[]).map((m) => m.value),
      ['u1', 'u2', 'u3', 'u4'],
    )
    const removed = apply(added, patch({ op: 'Remove', path: 'members', value: [{ value: 'u2' }, { value: 'u4' }] }))
    assert.deepEqual(
      (removed.members as { value: string }[]).map((m) => m.value),
      ['u1', 'u3'],
    )
  })
})

describe('applyScimPatch: Okta style bodies', () => {
  test('deactivate with a no-path replace', () => {
    assert.equal(apply(user(), patch({ op: 'replace', value: { active: false } })).active, false)
  })

  test('group rename that repeats the unchanged id', () => {
    const out = apply(group(), patch({ op: 'replace', value: { id: 'g1', displayName: 'Guides' } }))
    assert.equal(out.displayName, 'Guides')
    assert.equal(out.id, 'g1')
  })

  test('remove one member with a value filter, then the rest', () => {
    const one = apply(group(), patch({ op: 'remove', path: 'members[value eq "u2"]' }))
    assert.deepEqual(
      (one.members as { value: string }[]).map((m) => m.value),
      ['u1', 'u3'],
    )
    const none = apply(one, patch({ op: 'remove', path: 'members[value eq "u1" or value eq "u3"]' }))
    assert.equal('members' in none, false, 'an emptied multi-valued attribute is unassigned')
    const again = apply(none, patch({ op: 'remove', path: 'members[value eq "u1"]' }))
    assert.deepEqual(again, none, 'removing an absent member is a no-op')
  })
})

describe('applyScimPatch: RFC 7644 semantics', () => {
  test('add of a new primary email demotes the old primary', () => {
    const out = apply(
      user(),
      patch({ op: 'add', path: 'emails', value: [{ type: 'other', value: 'x@y', primary: true }] }),
    )
    assert.deepEqual(
      (out.emails as { primary?: boolean }[]).map((e) => e.primary),
      [false, undefined, true],
    )
  })

  test('replace of a complex attribute merges sub-attributes; replace of a multi-valued one replaces all', () => {
    const out = apply(
      user(),
      patch(
        { op: 'replace', path: 'name', value: { familyName: 'Smith', honorificPrefix: 'Ms.' } },
        { op: 'replace', path: 'emails', value: [{ value: 'only@example.com' }] },
      ),
    )
    assert.deepEqual(out.name, { givenName: 'Barbara', familyName: 'Smith', honorificPrefix: 'Ms.' })
    assert.deepEqual(out.emails, [{ value: 'only@example.com' }])
  })

  test('remove of a whole attribute and of a sub-attribute; replace with null unassigns', () => {
    const out = apply(
      user(),
      patch(
        { op: 'remove', path: 'emails' },
        { op: 'remove', path: 'name.givenName' },
        { op: 'replace', path: 'displayName', value: null },
      ),
    )
    assert.equal('emails' in out, false)
    assert.deepEqual(out.name, { familyName: 'Jensen' })
    assert.equal('displayName' in out, false)
  })

  test('remove of a sub-attribute of matched elements', () => {
    const out = apply(user(), patch({ op: 'remove', path: 'emails[type eq "work"].primary' }))
    assert.deepEqual(out.emails, [
      { type: 'work', value: 'bjensen@example.com' },
      { type: 'home', value: 'babs@jensen.org' },
    ])
  })

  test('operations apply in order and the result never shares objects with the body', () => {
    const value = { givenName: 'A' }
    const body = patch({ op: 'add', path: 'name', value }, { op: 'replace', path: 'name.givenName', value: 'B' })
    const out = apply({ id: 'x' }, body)
    assert.deepEqual(out.name, { givenName: 'B' })
    assert.deepEqual(value, { givenName: 'A' })
  })
})

describe('applyScimPatch: rejections', () => {
  test('read-only attributes', () => {
    fails(
      user(),
      patch({ op: 'replace', path: 'id', value: 'other' }),
      'mutability',
      'Operations[0]: "id" is read-only',
    )
    fails(
      user(),
      patch({ op: 'remove', path: 'meta.lastModified' }),
      'mutability',
      'Operations[0]: "meta.lastModified" is read-only',
    )
    fails(user(), patch({ op: 'add', value: { schemas: [] } }), 'mutability', 'Operations[0]: "schemas" is read-only')
    fails(
      user(),
      patch({ op: 'add', path: 'displayName', value: 'ok' }, { op: 'replace', value: { ID: 'other' } }),
      'mutability',
      'Operations[1]: "ID" is read-only',
    )
  })

  test('invalid paths', () => {
    fails(
      user(),
      patch({ op: 'replace', path: 'emails[type eq "work"', value: 'x' }),
      'invalidPath',
      /^Operations\[0\]: unexpected end of filter at position 21/,
    )
    fails(
      user(),
      patch({ op: 'replace', path: 'name.givenName.x', value: 'x' }),
      'invalidPath',
      /invalid attribute path "name.givenName.x"/,
    )
    fails(user(), patch({ op: 'replace', path: '', value: 'x' }), 'invalidPath', 'Operations[0]: the path is empty')
    fails(
      user(),
      patch({ op: 'replace', path: 'displayName.x', value: 'x' }),
      'invalidPath',
      'Operations[0]: "displayName" has no sub-attributes',
    )
    fails(
      user(),
      patch({ op: 'replace', path: 'displayName[value eq "x"]', value: 'x' }),
      'invalidPath',
      'Operations[0]: "displayName" is not multi-valued',
    )
    fails(
      user(),
      patch({ op: 'replace', path: 'emails.value', value: 'x' }),
      'invalidPath',
      /"emails" is multi-valued; pick values with a filter/,
    )
    fails(
      user(),
      patch({ op: 'add', value: { 'bad key': 1 } }),
      'invalidPath',
      /^Operations\[0\]: attribute unexpected token "key"/,
    )
  })

  test('noTarget and invalidValue', () => {
    fails(
      user(),
      patch({ op: 'replace', path: 'emails[type eq "fax"].value', value: 'x' }),
      'noTarget',
      'Operations[0]: no value of "emails" matches the filter',
    )
    fails(
      user(),
      patch({ op: 'add', path: 'emails[type co "fax"].value', value: 'x' }),
      'noTarget',
      'Operations[0]: no value of "emails" matches the filter',
    )
    fails(user(), patch({ op: 'remove' }), 'noTarget', 'Operations[0]: "remove" needs a path')
    fails(user(), patch({ op: 'add', path: 'title' }), 'invalidValue', 'Operations[0]: "add" needs a value')
    fails(
      user(),
      patch({ op: 'replace', value: 'x' }),
      'invalidValue',
      'Operations[0]: without a path, the value must be an object of attributes',
    )
    fails(
      user(),
      patch({ op: 'replace', path: 'emails[type eq "work"]', value: 'x' }),
      'invalidValue',
      /needs an object value/,
    )
    fails(
      user(),
      patch({ op: 'add', path: 'name', value: JSON.parse('{"__proto__": {"admin": true}}') }),
      'invalidValue',
      /"__proto__" is not a valid attribute name/,
    )
    fails(
      user(),
      patch({ op: 'add', path: 'x', value: Number.NaN }),
      'invalidValue',
      'Operations[0].value: numbers must be finite',
    )
    let deep: unknown = 'x'
    for (let i = 0; i < 10_000; i++) deep = [deep]
    fails(
      user(),
      patch({ op: 'add', path: 'x', value: deep }),
      'invalidValue',
      'Operations[0].value[0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0]: nested deeper than 16 levels',
    )
  })

  test('bad envelopes', () => {
    fails(
      user(),
      patch({ op: 'merge', path: 'x', value: 1 }),
      'invalidSyntax',
      'Operations[0].op: expected "add", "replace" or "remove", not "merge"',
    )
    fails(user(), patch({ path: 'x', value: 1 }), 'invalidSyntax', /^Operations\[0\]\.op: /)
    fails(user(), patch(), 'invalidSyntax', 'Operations: needs at least one operation')
    const tooMany = Array.from({ length: 101 }, () => ({ op: 'add', path: 'title', value: 'x' }))
    fails(user(), patch(...tooMany), 'invalidSyntax', 'Operations: has more than 100 operations; send several requests')
    assert.ok(applyScimPatch(user(), patch(...tooMany.slice(1))).ok, '100 operations are allowed')
    fails(
      user(),
      { schemas: ['urn:x'], Operations: [{ op: 'add', path: 'a', value: 1 }] },
      'invalidSyntax',
      `schemas: must include "${SCIM_PATCH_OP_SCHEMA}"`,
    )
    fails(user(), null, 'invalidSyntax', /^body: /)
    fails(user(), 'patch', 'invalidSyntax', /^body: /)
  })
})
