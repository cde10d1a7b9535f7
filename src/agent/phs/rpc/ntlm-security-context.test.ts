/** @module NTLM sealing and signing: the §4.2.4.4 vector, both directions, and tamper detection. */
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { test } from 'node:test'
import { NtlmSecurityContext } from './ntlm-security-context.ts'
import { spec } from './ntlm-spec-vectors.ts'
import { RpcError } from './rpc-error.ts'

const pair = (key = randomBytes(16)) => ({
  client: new NtlmSecurityContext(key, { role: 'client', keyExchange: true }),
  server: new NtlmSecurityContext(key, { role: 'server', keyExchange: true }),
})
const integrity = (e: unknown) => RpcError.is(e) && e.code === 'RPC_INTEGRITY_FAILED'

test('seals and signs "Plaintext" as MS-NLMP §4.2.4.4 shows', () => {
  const { client } = pair(spec.randomSessionKey)
  const wrapped = client.wrap(spec.plaintext)
  assert.equal(wrapped.message.toString('hex'), spec.sealedPlaintext.toString('hex'))
  assert.equal(wrapped.signature.toString('hex'), spec.plaintextSignature.toString('hex'))
})

test('the server unseals what the client sealed, message after message, and the other way round', () => {
  const { client, server } = pair()
  for (let n = 0; n < 20; n++) {
    const header = Buffer.from(`header ${n}`)
    const body = randomBytes(n * 37)
    const message = Buffer.concat([header, body, Buffer.from('trailer')])
    const range: [number, number] = [header.length, header.length + body.length]
    const up = client.wrap(message, ...range)
    assert.deepEqual(up.message.subarray(0, header.length), header, 'outside the range stays clear')
    if (body.length > 0) assert.notDeepEqual(up.message.subarray(...range), body)
    assert.equal(up.signature.readUInt32LE(12), n, 'sequence number')
    assert.deepEqual(server.unwrap(up.message, ...range, up.signature), message)
    const down = server.wrap(message, ...range)
    assert.deepEqual(client.unwrap(down.message, ...range, down.signature), message)
  }
})

test('a changed byte outside the sealed range (the signed header) fails verification', () => {
  const { client, server } = pair()
  const up = client.wrap(Buffer.from('header|secret stub|trailer'), 7, 18)
  up.message.writeUInt8(up.message[0]! ^ 1, 0)
  assert.throws(() => server.unwrap(up.message, 7, 18, up.signature), integrity)
})

test('a changed sealed byte, a replay and a wrong key fail verification', () => {
  const { client, server } = pair()
  const first = client.wrap(Buffer.from('one'))
  const tampered = Buffer.from(first.message)
  tampered.writeUInt8(tampered[1]! ^ 0x80, 1)
  assert.throws(() => server.unwrap(tampered, 0, 3, first.signature), integrity)

  const again = pair()
  const m = again.client.wrap(Buffer.from('two'))
  again.server.unwrap(m.message, 0, 3, m.signature)
  assert.throws(() => again.server.unwrap(m.message, 0, 3, m.signature), integrity, 'replay')

  const other = new NtlmSecurityContext(randomBytes(16), { role: 'server', keyExchange: true })
  const w = pair().client.wrap(Buffer.from('three'))
  assert.throws(() => other.unwrap(w.message, 0, 5, w.signature), integrity)
  assert.throws(() => pair().server.unwrap(w.message, 0, 5, w.signature.subarray(0, 12)), integrity, 'short signature')
})
