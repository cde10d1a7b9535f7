/** @module NTLMv2 computations against the MS-NLMP §4.2.4 test vectors. */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { spec } from './ntlm-spec-vectors.ts'
import { encryptRandomSessionKey, fileTime, lmV2Response, ntlmV2Response, ntowfV2 } from './ntlm-v2.ts'

test('NTOWFv2 of User/Domain/Password (§4.2.4.1.1)', async () => {
  assert.equal((await ntowfV2(spec.password, spec.user, spec.domain)).toString('hex'), spec.ntowfV2.toString('hex'))
})

test('NTOWFv2 uppercases the user name but not the domain', async () => {
  assert.deepEqual(await ntowfV2(spec.password, 'user', spec.domain), spec.ntowfV2)
  assert.notDeepEqual(await ntowfV2(spec.password, spec.user, 'DOMAIN'), spec.ntowfV2)
})

test('NTProofStr, the NTLMv2 blob and the session base key (§4.2.4.1.2, §4.2.4.2.2)', () => {
  const r = ntlmV2Response({
    responseKey: spec.ntowfV2,
    serverChallenge: spec.serverChallenge,
    clientChallenge: spec.clientChallenge,
    time: Buffer.alloc(8),
    targetInfo: spec.targetInfo,
  })
  assert.equal(r.ntProofStr.toString('hex'), spec.ntProofStr.toString('hex'))
  assert.equal(r.sessionBaseKey.toString('hex'), spec.sessionBaseKey.toString('hex'))
  const blob = r.ntResponse.subarray(16)
  assert.equal(blob.subarray(0, 8).toString('hex'), '0101000000000000')
  assert.equal(blob.subarray(16, 24).toString('hex'), spec.clientChallenge.toString('hex'))
  assert.deepEqual(blob.subarray(28, 28 + spec.targetInfo.length), spec.targetInfo)
  assert.equal(blob.length, 28 + spec.targetInfo.length + 4)
})

test('LMv2 response (§4.2.4.2.1)', () => {
  const lm = lmV2Response(spec.ntowfV2, spec.serverChallenge, spec.clientChallenge)
  assert.equal(lm.toString('hex'), spec.lmV2Proof.toString('hex') + spec.clientChallenge.toString('hex'))
})

test('encrypted random session key under the session base key (§4.2.4.2.3)', () => {
  const encrypted = encryptRandomSessionKey(spec.sessionBaseKey, spec.randomSessionKey)
  assert.equal(encrypted.toString('hex'), spec.encryptedSessionKey.toString('hex'))
})

test('FILETIME counts 100 ns ticks since 1601', () => {
  assert.equal(fileTime(0).toString('hex'), '00803ed5deb19d01')
  assert.equal(fileTime(Date.UTC(2017, 4, 23, 20, 13, 7)).toString('hex'), '800bc8fd00d4d201')
  assert.equal(fileTime(Date.UTC(1601, 0, 1)).toString('hex'), '0000000000000000')
})
