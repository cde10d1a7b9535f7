/** @module PDU layouts (bind, auth3, request with auth padding) and strict decoding of server PDUs. */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { decodeBindAck, decodeBindNakReason, encodeAuth3, encodeBind } from './rpc-bind-pdu.ts'
import { RpcError } from './rpc-error.ts'
import {
  AUTH_LEVEL_PRIVACY,
  AUTH_TYPE_WINNT,
  PduType,
  PfcFlag,
  decodeAuthVerifier,
  decodeFault,
  decodeHeader,
  decodeResponse,
  encodeHeader,
  encodeRequest,
  encodeSecTrailer,
} from './rpc-pdu.ts'
import { uuidFromBytes, uuidToBytes } from '../ndr/ndr-writer.ts'
import { NDR_SYNTAX, encodeSyntaxId } from './rpc-uuid.ts'

const DRSUAPI = { uuid: 'e3514235-4b06-11d1-ab04-00c04fc2dcd2', version: [4, 0] as const }
const malformedPdu = (e: unknown) => RpcError.is(e) && e.code === 'RPC_MALFORMED_PDU'
const trailer = { authType: AUTH_TYPE_WINNT, authLevel: AUTH_LEVEL_PRIVACY, contextId: 1 }

/** A bind_ack as a server would send it, optionally with an auth verifier. */
function bindAck(options: { callId?: number; result?: number; addr?: string; auth?: Buffer } = {}): Buffer {
  const addr = Buffer.from(`${options.addr ?? '49153'}\0`, 'latin1')
  const head = Buffer.alloc(10)
  head.writeUInt16LE(5840, 0)
  head.writeUInt16LE(5840, 2)
  head.writeUInt32LE(0x1234, 4)
  head.writeUInt16LE(addr.length, 8)
  const pad = Buffer.alloc((4 - ((26 + addr.length) % 4)) % 4)
  const results = Buffer.alloc(4 + 4)
  results[0] = 1
  results.writeUInt16LE(options.result ?? 0, 4)
  const body = Buffer.concat([head, addr, pad, results, encodeSyntaxId(NDR_SYNTAX)])
  const auth = options.auth ? Buffer.concat([encodeSecTrailer({ ...trailer, padLength: 0 }), options.auth]) : Buffer.alloc(0)
  const h = encodeHeader({
    type: PduType.BIND_ACK,
    flags: 3,
    fragLength: 16 + body.length + auth.length,
    authLength: options.auth?.length ?? 0,
    callId: options.callId ?? 1,
  })
  return Buffer.concat([h, body, auth])
}

test('UUIDs use the DCE mixed-endian wire form', () => {
  const bytes = uuidToBytes(DRSUAPI.uuid)
  assert.equal(bytes.toString('hex'), '354251e3064bd111ab0400c04fc2dcd2')
  assert.equal(uuidFromBytes(bytes), DRSUAPI.uuid)
  assert.throws(() => uuidToBytes('not-a-uuid'), { code: 'NDR_ENCODE_INVALID' })
})

test('bind: one context, DRSUAPI 4.0 over NDR 2.0, header signing offered, NTLM verifier 4-byte aligned', () => {
  const negotiate = Buffer.alloc(40, 7)
  const bind = { callId: 1, maxXmitFrag: 5840, maxRecvFrag: 5840, contextId: 0, abstractSyntax: DRSUAPI }
  const pdu = encodeBind({ ...bind, auth: { trailer, value: negotiate } })
  const h = decodeHeader(pdu)
  assert.deepEqual([h.type, h.flags, h.fragLength, h.authLength, h.callId], [11, 0x07, 72 + 8 + 40, 40, 1])
  assert.equal(pdu.readUInt16LE(16), 5840)
  assert.equal(pdu[24], 1, 'n_context_elem')
  assert.equal(pdu[30], 1, 'n_transfer_syn')
  assert.equal(pdu.subarray(32, 52).toString('hex'), '354251e3064bd111ab0400c04fc2dcd204000000')
  assert.deepEqual(pdu.subarray(52, 72), encodeSyntaxId(NDR_SYNTAX))
  assert.deepEqual(pdu.subarray(72, 80), Buffer.from([10, 6, 0, 0, 1, 0, 0, 0]))
  assert.deepEqual(pdu.subarray(80), negotiate)
  const plain = encodeBind({ ...bind, callId: 2 })
  assert.deepEqual([plain.readUInt16LE(8), plain.readUInt16LE(10), plain[3]], [72, 0, 0x03])
})

test('auth3 carries four pad bytes, then the trailer and token', () => {
  const pdu = encodeAuth3(1, { trailer, value: Buffer.alloc(100, 9) })
  const h = decodeHeader(pdu)
  assert.deepEqual([h.type, h.fragLength, h.authLength], [16, 16 + 4 + 8 + 100, 100])
  assert.deepEqual(decodeAuthVerifier(pdu, h, 20)?.value, Buffer.alloc(100, 9))
})

test('request with auth pads the stub to 16 bytes and counts the token it does not yet contain', () => {
  for (const size of [0, 1, 15, 16, 17, 100]) {
    const stub = Buffer.alloc(size, 0xab)
    const request = { callId: 5, flags: 3, allocHint: size, contextId: 0, opnum: 3, stub }
    const pdu = encodeRequest(request, { ...trailer, valueLength: 16 })
    const pad = (16 - (size % 16)) % 16
    assert.equal(pdu.length, 24 + size + pad + 8, `stub ${size}`)
    assert.equal(pdu.readUInt16LE(8), pdu.length + 16, 'frag_length includes the signature')
    assert.equal(pdu.readUInt16LE(10), 16)
    assert.equal(pdu.readUInt16LE(22), 3, 'opnum')
    assert.equal(pdu[pdu.length - 6], pad, 'auth_pad_length')
    assert.equal((pdu.length - 8 - 24) % 16, 0, 'sec_trailer 16-byte aligned from the stub start')
  }
})

test('header checks: length, version, data representation, frag_length', () => {
  const ok = encodeHeader({ type: PduType.RESPONSE, flags: 3, fragLength: 24, authLength: 0, callId: 1 })
  const pdu = Buffer.concat([ok, Buffer.alloc(8)])
  assert.equal(decodeHeader(pdu).type, PduType.RESPONSE)
  const bad = (edit: (b: Buffer) => void) => {
    const b = Buffer.from(pdu)
    edit(b)
    return b
  }
  for (const b of [
    pdu.subarray(0, 15),
    bad((b) => (b[0] = 4)),
    bad((b) => (b[1] = 2)),
    bad((b) => (b[4] = 0x00)), // big-endian
    bad((b) => (b[4] = 0x11)), // EBCDIC
    bad((b) => b.writeUInt16LE(25, 8)),
    bad((b) => b.writeUInt16LE(8, 8)),
  ]) {
    assert.throws(() => decodeHeader(b), malformedPdu)
  }
})

test('response, fault and auth verifier bounds', () => {
  const sealed = Buffer.alloc(32, 0x11)
  const body = Buffer.concat([Buffer.alloc(8), sealed, encodeSecTrailer({ ...trailer, padLength: 5 }), Buffer.alloc(16, 0x22)])
  const pdu = Buffer.concat([encodeHeader({ type: 2, flags: 3, fragLength: 16 + body.length, authLength: 16, callId: 9 }), body])
  const r = decodeResponse(pdu, decodeHeader(pdu))
  assert.deepEqual([r.stubStart, r.stubEnd, r.auth?.trailer.padLength, r.auth?.value.length], [24, 56, 5, 16])

  const withAuthLength = (n: number) => {
    const b = Buffer.from(pdu)
    b.writeUInt16LE(n, 10)
    return b
  }
  assert.throws(() => decodeResponse(withAuthLength(60), decodeHeader(withAuthLength(60))), malformedPdu)
  const bigPad = Buffer.from(pdu)
  bigPad[56 + 2] = 33
  assert.throws(() => decodeResponse(bigPad, decodeHeader(bigPad)), malformedPdu)

  const faultHeader = { type: 3, flags: 3 | PfcFlag.DID_NOT_EXECUTE, fragLength: 32, authLength: 0, callId: 9 }
  const fault = Buffer.concat([encodeHeader(faultHeader), Buffer.alloc(16)])
  fault.writeUInt32LE(0x1c010003, 24)
  assert.deepEqual(decodeFault(fault, decodeHeader(fault)), { status: 0x1c010003, didNotExecute: true })
  const short = fault.subarray(0, 24)
  short.writeUInt16LE(24, 8)
  assert.throws(() => decodeFault(short, decodeHeader(short)), malformedPdu)
})

test('bind_ack: secondary address, results and the NTLM challenge; truncations are malformed', () => {
  const challenge = Buffer.alloc(56, 0x4e)
  const pdu = bindAck({ auth: challenge })
  const ack = decodeBindAck(pdu, decodeHeader(pdu))
  assert.deepEqual([ack.maxXmitFrag, ack.maxRecvFrag, ack.assocGroupId], [5840, 5840, 0x1234])
  assert.deepEqual(ack.results, [{ result: 0, reason: 0, transferSyntax: NDR_SYNTAX }])
  assert.deepEqual(ack.auth?.value, challenge)
  for (let n = 16; n < pdu.length - challenge.length - 8; n++) {
    const cut = Buffer.from(pdu.subarray(0, n))
    cut.writeUInt16LE(n, 8)
    cut.writeUInt16LE(0, 10)
    assert.throws(() => decodeBindAck(cut, decodeHeader(cut)), malformedPdu, `${n} bytes`)
  }
  const manyResults = Buffer.from(pdu)
  manyResults[32] = 200 // n_results
  assert.throws(() => decodeBindAck(manyResults, decodeHeader(manyResults)), malformedPdu)
  const nak = Buffer.concat([encodeHeader({ type: 13, flags: 3, fragLength: 18, authLength: 0, callId: 1 }), Buffer.from([8, 0])])
  assert.equal(decodeBindNakReason(nak, decodeHeader(nak)), 8)
})
