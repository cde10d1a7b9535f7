/** @module The LDAP reads' pure parts: the anchor travels as octets, and protected SIDs are read from the token. */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import type { Client, Filter } from 'ldapts'
import { findUsersByAnchor, tokenIsProtected } from './ldap-writeback-reads.ts'

describe('findUsersByAnchor', () => {
  test('sends the anchor as a binary equality value (each byte escaped), ms-DS-ConsistencyGuid first', async () => {
    const filters: string[] = []
    const client = {
      search: async (_base: string, options: { filter?: string | Filter }) => {
        filters.push(String(options.filter))
        return { searchEntries: [], searchReferences: [] }
      },
    } as unknown as Client
    // A 16-byte anchor whose bytes spell filter syntax: "*)(uid=*)\" plus NUL and 0xff.
    const anchor = Buffer.concat([Buffer.from('*)(uid=*)\\', 'latin1'), Buffer.from([0, 0xff, 1, 2, 3, 4])])
    assert.deepEqual(await findUsersByAnchor(client, 'DC=contoso,DC=test', anchor), [])
    const escaped = '\\2a\\29\\28\\75\\69\\64\\3d\\2a\\29\\5c\\00\\ff\\01\\02\\03\\04'
    assert.deepEqual(filters, [
      `(&(&(objectCategory=person)(objectClass=user))(mS-DS-ConsistencyGuid=${escaped}))`,
      `(&(&(objectCategory=person)(objectClass=user))(objectGUID=${escaped}))`,
    ])
  })
})

/** A binary SID from its parts, as AD returns objectSid and tokenGroups. */
function sid(authority: number, ...subs: number[]): Buffer {
  const out = Buffer.alloc(8 + subs.length * 4)
  out[0] = 1
  out[1] = subs.length
  out.writeUIntBE(authority, 2, 6)
  subs.forEach((n, i) => out.writeUInt32LE(n, 8 + i * 4))
  return out
}

describe('tokenIsProtected', () => {
  const domain = sid(5, 21, 3022739587, 2180409607, 3645587134)
  const inDomain = (rid: number) => sid(5, 21, 3022739587, 2180409607, 3645587134, rid)
  const otherDomain = (rid: number) => sid(5, 21, 1, 2, 3, rid)
  const user = inDomain(1105)

  test('a domain group such as Domain Admins (512) or a builtin one such as Backup Operators (551)', () => {
    assert.equal(tokenIsProtected(domain, user, [inDomain(513), inDomain(512)]), true)
    assert.equal(tokenIsProtected(domain, user, [inDomain(513), sid(5, 32, 551)]), true)
  })

  test('Domain Users, builtin Users, and 512 of another domain are not protected', () => {
    assert.equal(tokenIsProtected(domain, user, [inDomain(513), sid(5, 32, 545), otherDomain(512)]), false)
  })

  test('the built-in Administrator (500) is protected by its own SID', () => {
    assert.equal(tokenIsProtected(domain, inDomain(500), [inDomain(513)]), true)
  })
})
