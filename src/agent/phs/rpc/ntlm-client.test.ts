/** @module The NTLMv2 handshake end to end against the §4.2.4 vectors, the MIC, and downgrade refusal. */
import assert from 'node:assert/strict'
import { createHmac } from 'node:crypto'
import { test } from 'node:test'
import { CLIENT_FLAGS, NtlmClient } from './ntlm-client.ts'
import { AUTHENTICATE_MIC_OFFSET, AvId, NtlmFlag, decodeAvPairs, encodeAvPairs } from './ntlm-messages.ts'
import { spec } from './ntlm-spec-vectors.ts'
import { RpcError } from './rpc-error.ts'

const FILETIME_EPOCH_MS = -11_644_473_600_000
const credentials = { domain: spec.domain, username: spec.user, password: spec.password }
const fixed = () =>
  new NtlmClient(credentials, {
    randomBytes: (n) => (n === 8 ? Buffer.from(spec.clientChallenge) : Buffer.from(spec.randomSessionKey)),
    now: () => FILETIME_EPOCH_MS,
  })

function field(m: Buffer, at: number): Buffer {
  const offset = m.readUInt32LE(at + 4)
  return m.subarray(offset, offset + m.readUInt16LE(at))
}

/** A copy of the spec CHALLENGE with `pairs` as its TargetInfo. */
function challengeWith(pairs: Buffer): Buffer {
  const head = Buffer.from(spec.challengeMessage.subarray(0, 0x44))
  head.writeUInt16LE(pairs.length, 40)
  head.writeUInt16LE(pairs.length, 42)
  return Buffer.concat([head, pairs])
}

test('answers the §4.2.4.3 CHALLENGE with the spec responses, key and sealing', async () => {
  const auth = await fixed().authenticate(spec.challengeMessage)
  const m = auth.authenticateMessage
  assert.equal(field(m, 12).toString('hex'), spec.lmV2Proof.toString('hex') + spec.clientChallenge.toString('hex'))
  assert.equal(field(m, 20).subarray(0, 16).toString('hex'), spec.ntProofStr.toString('hex'))
  assert.equal(field(m, 28).toString('utf16le'), 'Domain')
  assert.equal(field(m, 36).toString('utf16le'), 'User')
  assert.equal(field(m, 52).toString('hex'), spec.encryptedSessionKey.toString('hex'))
  assert.equal(m.readUInt32LE(60), (0xe28a8233 & CLIENT_FLAGS) >>> 0)
  assert.deepEqual(m.subarray(AUTHENTICATE_MIC_OFFSET, AUTHENTICATE_MIC_OFFSET + 16), Buffer.alloc(16), 'no MIC without a server timestamp')
  assert.deepEqual(auth.sessionKey, spec.randomSessionKey)
  const wrapped = auth.context.wrap(spec.plaintext)
  assert.deepEqual(wrapped.message, spec.sealedPlaintext)
  assert.deepEqual(wrapped.signature, spec.plaintextSignature)
})

test('with a server timestamp: its time, no LM response, MsvAvFlags MIC bit, and a MIC over all three messages', async () => {
  const stamp = Buffer.from('0011223344556677', 'hex')
  const challenge = challengeWith(encodeAvPairs([...decodeAvPairs(spec.targetInfo), { id: AvId.TIMESTAMP, value: stamp }]))
  const client = fixed()
  const auth = await client.authenticate(challenge)
  const m = auth.authenticateMessage
  assert.deepEqual(field(m, 12), Buffer.alloc(24))
  const blob = field(m, 20).subarray(16)
  assert.deepEqual(blob.subarray(8, 16), stamp)
  const pairs = decodeAvPairs(blob.subarray(28))
  assert.deepEqual(pairs.find((p) => p.id === AvId.FLAGS)?.value, Buffer.from('02000000', 'hex'))
  const zeroed = Buffer.from(m)
  zeroed.fill(0, AUTHENTICATE_MIC_OFFSET, AUTHENTICATE_MIC_OFFSET + 16)
  const mic = createHmac('md5', spec.randomSessionKey).update(client.negotiateMessage).update(challenge).update(zeroed).digest()
  assert.deepEqual(m.subarray(AUTHENTICATE_MIC_OFFSET, AUTHENTICATE_MIC_OFFSET + 16), mic)
})

test('refuses a CHALLENGE without sealing, 128-bit keys or extended session security', async () => {
  for (const flag of [NtlmFlag.SEAL, NtlmFlag.SIGN, NtlmFlag.NEGOTIATE_128, NtlmFlag.EXTENDED_SESSIONSECURITY]) {
    const c = Buffer.from(spec.challengeMessage)
    c.writeUInt32LE((c.readUInt32LE(20) & ~flag) >>> 0, 20)
    await assert.rejects(fixed().authenticate(c), (e) => RpcError.is(e) && e.code === 'RPC_AUTH_UNSUPPORTED')
  }
})

test('without KEY_EXCH the exported key is the session base key and no encrypted key is sent', async () => {
  const c = Buffer.from(spec.challengeMessage)
  c.writeUInt32LE((c.readUInt32LE(20) & ~NtlmFlag.KEY_EXCH) >>> 0, 20)
  const auth = await fixed().authenticate(c)
  assert.deepEqual(auth.sessionKey, spec.sessionBaseKey)
  assert.equal(field(auth.authenticateMessage, 52).length, 0)
})

test('the password appears nowhere in the messages', async () => {
  const auth = await fixed().authenticate(spec.challengeMessage)
  const all = Buffer.concat([fixed().negotiateMessage, auth.authenticateMessage])
  assert.equal(all.indexOf(Buffer.from(spec.password, 'utf16le')), -1)
  assert.equal(all.indexOf(Buffer.from(spec.password, 'latin1')), -1)
})
