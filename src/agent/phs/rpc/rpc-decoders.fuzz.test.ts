/**
 * @module Bounded, seeded fuzzing of everything that parses server bytes: random input and
 * mutations of valid PDUs and NTLM messages must decode or throw RpcError, nothing else (no
 * RangeError, no TypeError, no hang). A failure prints the seed and the input in hex.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { decodeEptMapResponse, encodeTcpTower, tcpPortFromTower } from './endpoint-mapper.ts'
import { bindAck, faultPdu } from './fake-rpc-server.ts'
import { NtlmClient } from './ntlm-client.ts'
import { decodeAvPairs, decodeChallenge } from './ntlm-messages.ts'
import { spec } from './ntlm-spec-vectors.ts'
import { decodeBindAck, decodeBindNakReason } from './rpc-bind-pdu.ts'
import { DRSUAPI_INTERFACE } from './rpc-connection.ts'
import { RpcError, type RpcErrorCode } from './rpc-error.ts'
import { decodeAuthVerifier, decodeFault, decodeHeader, decodeResponse, encodeRequest, readFragLength } from './rpc-pdu.ts'

const ITERATIONS = 2000
const SEED = Number(process.env.RPC_FUZZ_SEED ?? 0x1dbf1d9e)

/** mulberry32: small, seedable, good enough to pick bytes. */
function prng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

function mutator(seed: number) {
  const rnd = prng(seed)
  const int = (n: number) => Math.floor(rnd() * n)
  const random = (max: number) => Buffer.from(Array.from({ length: int(max) }, () => int(256)))
  const mutate = (sample: Buffer): Buffer => {
    let b = Buffer.from(sample)
    const edits = 1 + int(4)
    for (let e = 0; e < edits; e++) {
      const at = int(Math.max(1, b.length))
      switch (int(6)) {
        case 0:
          if (b.length) b.writeUInt8(int(256), Math.min(at, b.length - 1))
          break
        case 1: {
          const v = [0, 1, 0x7f, 0x80, 0xff, 0xfffe, 0xffff, b.length, b.length + 1][int(9)]!
          if (at + 2 <= b.length) b.writeUInt16LE(v & 0xffff, at)
          break
        }
        case 2:
          if (at + 4 <= b.length) b.writeUInt32LE([0, 0xffffffff, 0x7fffffff, b.length, 0x10000][int(5)]!, at)
          break
        case 3:
          b = b.subarray(0, int(b.length + 1))
          break
        case 4:
          b = Buffer.concat([b, random(64)])
          break
        default:
          b = Buffer.concat([b.subarray(0, at), random(16), b.subarray(at)])
      }
    }
    return b
  }
  return { int, random, mutate }
}

function expectOnly(codes: readonly RpcErrorCode[], input: Buffer, seed: number, run: () => unknown): void {
  try {
    run()
  } catch (e) {
    if (RpcError.is(e) && codes.includes(e.code)) return
    assert.fail(`seed ${seed}: ${String(e)} for input ${input.toString('hex')}`)
  }
}

const tower = encodeTcpTower(DRSUAPI_INTERFACE, 49153, '127.0.0.44')
const ept = (() => {
  const b = Buffer.alloc(20 + 4 * 6 + 8 + tower.length + 2 + 4)
  let at = 20
  for (const v of [1, 4, 0, 1, 3, tower.length, tower.length]) at = b.writeUInt32LE(v, at)
  tower.copy(b, at)
  return b
})()
const response = Buffer.concat([
  encodeRequest(
    { callId: 2, flags: 3, allocHint: 40, contextId: 0, opnum: 0, stub: Buffer.alloc(40, 7) },
    { authType: 10, authLevel: 6, contextId: 1, valueLength: 16 },
  ),
  Buffer.alloc(16, 9),
]).fill(2, 2, 3)
const pdus = [bindAck(1, 5840, 0, spec.challengeMessage), bindAck(1, 5840, 2), faultPdu(3, 0x1c010003), response]

test(`PDU decoders: ${ITERATIONS} random and mutated inputs only ever throw RPC_MALFORMED_PDU`, () => {
  const m = mutator(SEED)
  for (let n = 0; n < ITERATIONS; n++) {
    const input = n % 4 === 0 ? m.random(128) : m.mutate(pdus[n % pdus.length]!)
    expectOnly(['RPC_MALFORMED_PDU'], input, SEED, () => {
      if (input.length >= 10) readFragLength(input)
      const h = decodeHeader(input)
      decodeBindAck(input, h)
    })
    for (const decode of [decodeResponse, decodeFault, decodeBindNakReason]) {
      expectOnly(['RPC_MALFORMED_PDU'], input, SEED, () => decode(input, decodeHeader(input)))
    }
    for (const bodyStart of [16, 20, 24]) {
      expectOnly(['RPC_MALFORMED_PDU'], input, SEED, () => decodeAuthVerifier(input, decodeHeader(input), bodyStart))
    }
  }
})

test(`NTLM CHALLENGE and AV pairs: ${ITERATIONS} inputs only ever throw RPC_MALFORMED_PDU`, () => {
  const m = mutator(SEED + 1)
  for (let n = 0; n < ITERATIONS; n++) {
    const input = n % 5 === 0 ? m.random(160) : m.mutate(n % 2 ? spec.challengeMessage : spec.targetInfo)
    expectOnly(['RPC_MALFORMED_PDU'], input, SEED + 1, () => decodeChallenge(input))
    expectOnly(['RPC_MALFORMED_PDU'], input, SEED + 1, () => decodeAvPairs(input))
  }
})

test('the NTLM client answers or refuses mutated CHALLENGEs with typed errors only', async () => {
  const m = mutator(SEED + 2)
  const client = new NtlmClient({ domain: 'D', username: 'u', password: 'p' })
  for (let n = 0; n < 300; n++) {
    const input = m.mutate(spec.challengeMessage)
    try {
      await client.authenticate(input)
    } catch (e) {
      if (RpcError.is(e) && (e.code === 'RPC_MALFORMED_PDU' || e.code === 'RPC_AUTH_UNSUPPORTED')) continue
      assert.fail(`seed ${SEED + 2}: ${String(e)} for input ${input.toString('hex')}`)
    }
  }
})

test(`ept_map replies and towers: ${ITERATIONS} inputs only ever throw RPC_MALFORMED_PDU`, () => {
  const m = mutator(SEED + 3)
  for (let n = 0; n < ITERATIONS; n++) {
    const input = n % 4 === 0 ? m.random(200) : m.mutate(n % 2 ? ept : tower)
    expectOnly(['RPC_MALFORMED_PDU'], input, SEED + 3, () => decodeEptMapResponse(input))
    expectOnly(['RPC_MALFORMED_PDU'], input, SEED + 3, () => tcpPortFromTower(input, DRSUAPI_INTERFACE))
  }
})
