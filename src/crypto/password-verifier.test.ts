import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { checkCloudPasswordPolicy } from './cloud-password-policy.ts'
import { formatOrgIdVerifier, ntHash, orgIdHashFromNtHash } from './org-id-hash.ts'
import { checkPassword } from './password-verifier.ts'
import { createScryptVerifier } from './scrypt-verifier.ts'

describe('checkPassword', () => {
  it('accepts the right password and refuses a wrong one for a scrypt verifier', async () => {
    const verifier = await createScryptVerifier('Correct-Horse-9')
    assert.match(verifier, /^scrypt\$32768\$8\$1\$/)
    assert.equal(await checkPassword(verifier, 'Correct-Horse-9'), true)
    assert.equal(await checkPassword(verifier, 'Correct-Horse-8'), false)
  })

  it('accepts the right password for an OrgId verifier delivered by hash sync', async () => {
    const salt = Buffer.from('181a3024085fcee2f70e', 'hex')
    const hash = await orgIdHashFromNtHash(await ntHash('Pa$$w0rd'), salt, 1000)
    const verifier = formatOrgIdVerifier({ salt, iterations: 1000, hash })
    assert.equal(await checkPassword(verifier, 'Pa$$w0rd'), true)
    assert.equal(await checkPassword(verifier, 'pa$$w0rd'), false)
  })

  it('never matches an unknown or tampered verifier', async () => {
    assert.equal(await checkPassword('plain:Pa$$w0rd', 'Pa$$w0rd'), false)
    assert.equal(await checkPassword('scrypt$1073741824$8$1$AAAA$AAAA', 'x'), false)
  })
})

describe('cloud password policy', () => {
  it('takes 8 to 256 characters with 3 of 4 classes', () => {
    assert.deepEqual(checkCloudPasswordPolicy('Abcdef1!'), [])
    assert.deepEqual(checkCloudPasswordPolicy('abcdefg1'), ['too-few-classes'])
    assert.deepEqual(checkCloudPasswordPolicy('Ab1!'), ['too-short'])
    assert.deepEqual(checkCloudPasswordPolicy(`Aa1${'x'.repeat(254)}`), ['too-long'])
    assert.deepEqual(checkCloudPasswordPolicy('Abcdef1ü'), ['unsupported-characters'])
  })
})
