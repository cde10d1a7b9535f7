import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { formatOrgIdVerifier, ntHash, orgIdHashFromNtHash, parseOrgIdVerifier } from './org-id-hash.ts'

// Vectors from the reference §1.3, which match the published DSInternals examples.
describe('OrgId hash', () => {
  it('computes the NT hash of Pa$$w0rd and Password1', async () => {
    assert.equal((await ntHash('Pa$$w0rd')).toString('hex').toUpperCase(), '92937945B518814341DE3F726500D4FF')
    assert.equal((await ntHash('Password1')).toString('hex'), '64f12cddaa88057e06a81b54e73b949b')
  })

  const vectors = [
    ['317ee9d1dec6508fa510', 100, 'f4a257ffec53809081a605ce8ddedfbc9df9777b80256763bc0a6dd895ef404f'],
    ['317ee9d1dec6508fa510', 1000, '7eaea8e1628dffee62cf319f4e1fc05254da30a1d42ff755ff352f5b13497531'],
    ['181a3024085fcee2f70e', 1000, 'b39525c3bc72a1136fcf7c8a338e0c14313d0450d1a4c98ef0a6ddada3bc5b0a'],
  ] as const
  for (const [salt, iterations, expected] of vectors) {
    it(`matches the vector for salt ${salt} at ${iterations} iterations`, async () => {
      const hash = await orgIdHashFromNtHash(await ntHash('Pa$$w0rd'), Buffer.from(salt, 'hex'), iterations)
      assert.equal(hash.toString('hex'), expected)
    })
  }

  it('round-trips the wire format', async () => {
    const text =
      'v1;PPH1_MD4,181a3024085fcee2f70e,1000,b39525c3bc72a1136fcf7c8a338e0c14313d0450d1a4c98ef0a6ddada3bc5b0a;'
    const parsed = parseOrgIdVerifier(text)
    assert.ok(parsed)
    assert.equal(parsed.iterations, 1000)
    assert.equal(formatOrgIdVerifier(parsed), text)
  })

  it('rejects malformed verifiers', () => {
    for (const bad of ['', 'v1;PPH1_MD4,zz,1000,00;', `v1;PPH1_MD4,181a3024085fcee2f70e,0,${'0'.repeat(64)};`]) {
      assert.equal(parseOrgIdVerifier(bad), undefined)
    }
  })

  it('refuses an NT hash of the wrong length', async () => {
    await assert.rejects(orgIdHashFromNtHash(Buffer.alloc(15), Buffer.alloc(10)), /16 bytes/)
  })
})
