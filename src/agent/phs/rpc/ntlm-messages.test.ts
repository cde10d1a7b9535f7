/** @module NTLMSSP message layouts, and the CHALLENGE decoder's refusal of malformed input. */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { CLIENT_FLAGS } from './ntlm-client.ts'
import {
  AUTHENTICATE_MIC_OFFSET,
  AvId,
  NtlmFlag,
  decodeAvPairs,
  decodeChallenge,
  encodeAuthenticate,
  encodeAvPairs,
  encodeNegotiate,
} from './ntlm-messages.ts'
import { spec } from './ntlm-spec-vectors.ts'
import { RpcError } from './rpc-error.ts'

const malformedPdu = (e: unknown) => RpcError.is(e) && e.code === 'RPC_MALFORMED_PDU'

test('decodes the §4.2.4.3 CHALLENGE_MESSAGE', () => {
  const c = decodeChallenge(spec.challengeMessage)
  assert.equal(c.flags, 0xe28a8233)
  assert.deepEqual(c.serverChallenge, spec.serverChallenge)
  assert.deepEqual(
    c.targetInfo.map((p) => [p.id, p.value.toString('utf16le')]),
    [
      [AvId.NB_DOMAIN_NAME, 'Domain'],
      [AvId.NB_COMPUTER_NAME, 'Server'],
    ],
  )
  assert.deepEqual(encodeAvPairs(c.targetInfo), spec.targetInfo, 'AV pairs re-encode byte for byte')
  assert.deepEqual(c.raw, spec.challengeMessage)
})

test('the client asks for the flags packet privacy needs, and NEGOTIATE carries them with a Version', () => {
  const wanted = ['UNICODE', 'NTLM', 'ALWAYS_SIGN', 'EXTENDED_SESSIONSECURITY', 'TARGET_INFO', 'NEGOTIATE_128'] as const
  for (const f of [...wanted, 'KEY_EXCH', 'NEGOTIATE_56', 'SIGN', 'SEAL', 'VERSION'] as const) {
    assert.ok(CLIENT_FLAGS & NtlmFlag[f], f)
  }
  const n = encodeNegotiate(CLIENT_FLAGS)
  assert.equal(n.length, 40)
  assert.equal(n.subarray(0, 12).toString('hex'), '4e544c4d5353500001000000')
  assert.equal(n.readUInt32LE(12), CLIENT_FLAGS >>> 0)
  assert.equal(n[39], 0x0f, 'NTLMSSP_REVISION_W2K3')
})

test('AUTHENTICATE lays out its six fields after an 88-byte header with a zero MIC', () => {
  const m = encodeAuthenticate({
    flags: 0xe2888235,
    lmResponse: Buffer.alloc(24, 1),
    ntResponse: Buffer.alloc(50, 2),
    domain: 'CONTOSO',
    username: 'svc-idbridge',
    workstation: '',
    encryptedRandomSessionKey: Buffer.alloc(16, 3),
  })
  const field = (at: number) => {
    const length = m.readUInt16LE(at)
    assert.equal(m.readUInt16LE(at + 2), length, 'MaxLen = Len')
    const offset = m.readUInt32LE(at + 4)
    return m.subarray(offset, offset + length)
  }
  assert.equal(m.readUInt32LE(8), 3)
  assert.deepEqual(field(12), Buffer.alloc(24, 1))
  assert.deepEqual(field(20), Buffer.alloc(50, 2))
  assert.equal(field(28).toString('utf16le'), 'CONTOSO')
  assert.equal(field(36).toString('utf16le'), 'svc-idbridge')
  assert.equal(field(44).length, 0)
  assert.deepEqual(field(52), Buffer.alloc(16, 3))
  assert.equal(m.readUInt32LE(60), 0xe2888235)
  assert.deepEqual(m.subarray(AUTHENTICATE_MIC_OFFSET, AUTHENTICATE_MIC_OFFSET + 16), Buffer.alloc(16))
  assert.equal(m.readUInt32LE(12 + 4), 88, 'payload starts right after the header')
})

test('every truncation of a valid CHALLENGE is RPC_MALFORMED_PDU', () => {
  for (let n = 0; n < spec.challengeMessage.length; n++) {
    assert.throws(() => decodeChallenge(spec.challengeMessage.subarray(0, n)), malformedPdu, `${n} bytes`)
  }
})

test('wrong signature, type, and offsets or lengths past the end are RPC_MALFORMED_PDU', () => {
  const edit = (at: number, write: (b: Buffer) => void) => {
    const b = Buffer.from(spec.challengeMessage)
    write(b.subarray(at))
    return b
  }
  const cases = [
    edit(0, (b) => (b[0] = 0x4f)),
    edit(8, (b) => b.writeUInt32LE(3)),
    edit(12, (b) => b.writeUInt16LE(0xffff)), // TargetName length
    edit(16, (b) => b.writeUInt32LE(0xfffffff0)), // TargetName offset
    edit(40, (b) => b.writeUInt16LE(0x25)), // TargetInfo one byte longer than the message
    edit(44, (b) => b.writeUInt32LE(0x45)), // TargetInfo shifted past the end
    edit(0x44 + 2, (b) => b.writeUInt16LE(0x7fff)), // first AV pair longer than TargetInfo
  ]
  for (const [n, c] of cases.entries()) assert.throws(() => decodeChallenge(c), malformedPdu, `case ${n}`)
})

test('AV pairs need a terminating MsvAvEOL', () => {
  assert.deepEqual(decodeAvPairs(Buffer.from('00000000', 'hex')), [])
  assert.throws(() => decodeAvPairs(Buffer.from('0200020041', 'hex')), malformedPdu)
  assert.throws(() => decodeAvPairs(Buffer.alloc(0)), malformedPdu)
  assert.throws(() => decodeAvPairs(Buffer.from('020002004100', 'hex')), malformedPdu)
})
