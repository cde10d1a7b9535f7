import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { ntHash } from '../../crypto/org-id-hash.ts'
import { checkPassword } from '../../crypto/password-verifier.ts'
import { FullSyncWalk } from './full-sync-walk.ts'
import { MemoryHashSource } from './memory-hash-source.ts'

async function sourceWith(users: number, pageSize: number): Promise<MemoryHashSource> {
  const source = new MemoryHashSource({ pageSize })
  for (let i = 0; i < users; i++) {
    source.put({ objectGuid: `guid-${i}`, distinguishedName: `CN=u${i},DC=contoso,DC=test`, pwdLastSet: i, ntHash: await ntHash(`Pw-${i}!`) })
  }
  return source
}

describe('FullSyncWalk', () => {
  test('yields every page in walk order, stretched, and ends with the watermark', async () => {
    const walk = new FullSyncWalk(await sourceWith(12, 5))
    const pages = []
    for await (const page of walk.pages()) pages.push(page)
    assert.deepEqual(pages.map((p) => p.objectsSeen), [5, 10, 12])
    const first = pages[0]!.credentials[0]!
    assert.equal(first.objectGuid, 'guid-0')
    assert.ok(await checkPassword(first.verifier!, 'Pw-0!'), 'an OrgId verifier of the password, not the NT hash')
    assert.equal('ntHash' in first, false)
    const done = await walk.done
    assert.ok(done.ok)
    assert.equal(walk.failed, false)
  })

  test('cancel ends the walk at the next page with AGENT_ERR_PHS_CANCELLED and drops what waited', async () => {
    const walk = new FullSyncWalk(await sourceWith(30, 5))
    const done = await walk.cancel()
    assert.equal(done.ok ? 'ok' : done.error.code, 'AGENT_ERR_PHS_CANCELLED')
    assert.equal(walk.failed, true)
    const left = []
    for await (const page of walk.pages()) left.push(page)
    assert.ok(left.length < 6, `${left.length} pages after cancel`)
  })

  test('a source that fails makes the walk failed, with no pages', async () => {
    const source = await sourceWith(3, 5)
    source.failure = MemoryHashSource.unreachable('dc1.contoso.test')
    const walk = new FullSyncWalk(source)
    const pages = []
    for await (const page of walk.pages()) pages.push(page)
    assert.equal(pages.length, 0)
    const done = await walk.done
    assert.equal(done.ok ? 'ok' : done.error.code, 'AGENT_ERR_DC_UNREACHABLE')
    assert.equal(walk.failed, true)
  })
})
