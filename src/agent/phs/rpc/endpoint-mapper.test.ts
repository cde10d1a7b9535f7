/** @module ept_map encoding, tower parsing, and the endpoint-mapper client against a fake mapper. */
import assert from 'node:assert/strict'
import { after, test } from 'node:test'
import {
  EPM_INTERFACE,
  decodeEptMapResponse,
  encodeEptMapRequest,
  encodeTcpTower,
  findTcpPort,
  tcpPortFromTower,
} from './endpoint-mapper.ts'
import { FakeRpcServer } from './fake-rpc-server.ts'
import { DRSUAPI_INTERFACE } from './rpc-connection.ts'
import { RpcError } from './rpc-error.ts'

const malformedPdu = (e: unknown) => RpcError.is(e) && e.code === 'RPC_MALFORMED_PDU'
const servers: FakeRpcServer[] = []
after(() => Promise.all(servers.map((s) => s.close())))

/** An ept_map reply stub with `towers` and `status`, as a mapper marshals it. */
function eptMapReply(towers: Buffer[], status = 0): Buffer {
  const parts: Buffer[] = [Buffer.alloc(20)]
  const u32 = (...values: number[]) => {
    const b = Buffer.alloc(4 * values.length)
    values.forEach((v, n) => b.writeUInt32LE(v, 4 * n))
    parts.push(b)
  }
  u32(towers.length, 4, 0, towers.length, ...towers.map((_, n) => n + 3))
  for (const t of towers) {
    u32(t.length, t.length)
    parts.push(t, Buffer.alloc((4 - (t.length % 4)) % 4))
  }
  u32(status)
  return Buffer.concat(parts)
}

test('the ncacn_ip_tcp tower has five floors: interface, NDR, RPC CO, TCP port, IP', () => {
  const tower = encodeTcpTower(DRSUAPI_INTERFACE, 49153, '127.0.0.44')
  assert.equal(
    tower.toString('hex'),
    '0500' +
      '1300' + '0d' + '354251e3064bd111ab0400c04fc2dcd2' + '0400' + '0200' + '0000' +
      '1300' + '0d' + '045d888aeb1cc9119fe808002b104860' + '0200' + '0200' + '0000' +
      '0100' + '0b' + '0200' + '0000' +
      '0100' + '07' + '0200' + 'c001' +
      '0100' + '09' + '0400' + '7f00002c',
  )
  assert.equal(tcpPortFromTower(tower, DRSUAPI_INTERFACE), 49153)
  assert.equal(tcpPortFromTower(tower, EPM_INTERFACE), undefined, 'a tower for another interface')
  for (let n = 0; n < tower.length - 1; n++) {
    const cut = tower.subarray(0, n)
    assert.throws(() => tcpPortFromTower(cut, DRSUAPI_INTERFACE), malformedPdu, `${n} bytes`)
  }
})

test('the ept_map request: nil object, query tower as a conformant twr_t, nil handle, max_towers', () => {
  const stub = encodeEptMapRequest(DRSUAPI_INTERFACE)
  const tower = encodeTcpTower(DRSUAPI_INTERFACE)
  assert.equal(stub.readUInt32LE(0), 1)
  assert.deepEqual(stub.subarray(4, 20), Buffer.alloc(16))
  assert.equal(stub.readUInt32LE(20), 2)
  assert.deepEqual([stub.readUInt32LE(24), stub.readUInt32LE(28)], [tower.length, tower.length])
  assert.deepEqual(stub.subarray(32, 32 + tower.length), tower)
  const at = 32 + tower.length + ((4 - (tower.length % 4)) % 4)
  assert.deepEqual(stub.subarray(at, at + 20), Buffer.alloc(20))
  assert.equal(stub.readUInt32LE(at + 20), 4)
  assert.equal(stub.length, at + 24)
})

test('the ept_map reply decodes; inconsistent or truncated replies are RPC_MALFORMED_PDU', () => {
  const towers = [encodeTcpTower(DRSUAPI_INTERFACE, 1025), encodeTcpTower(DRSUAPI_INTERFACE, 49153)]
  const reply = eptMapReply(towers, 0)
  assert.deepEqual(decodeEptMapResponse(reply), { status: 0, towers })
  assert.deepEqual(decodeEptMapResponse(eptMapReply([], 0x16c9a0d6)), { status: 0x16c9a0d6, towers: [] })
  for (let n = 0; n < reply.length; n++) assert.throws(() => decodeEptMapResponse(reply.subarray(0, n)), malformedPdu)
  const tooMany = Buffer.from(reply)
  tooMany.writeUInt32LE(9, 32) // actual_count above max_count (at 20: num_towers, max_count, offset, actual_count)
  assert.throws(() => decodeEptMapResponse(tooMany), malformedPdu)
  const longTower = Buffer.from(reply)
  longTower.writeUInt32LE(0x7fffffff, 44) // the first tower's max_count
  longTower.writeUInt32LE(0x7fffffff, 48) // and tower_length, far past the reply
  assert.throws(() => decodeEptMapResponse(longTower), malformedPdu)
})

test('findTcpPort asks the mapper unauthenticated and returns the port of the first TCP tower', async () => {
  const mapper = await FakeRpcServer.start({
    handler: (opnum, stub) => {
      assert.equal(opnum, 3)
      assert.deepEqual(stub, encodeEptMapRequest(DRSUAPI_INTERFACE))
      return eptMapReply([encodeTcpTower(DRSUAPI_INTERFACE, 49153, '127.0.0.44')])
    },
  })
  servers.push(mapper)
  const port = await findTcpPort({ host: '127.0.0.1', port: mapper.port, interfaceId: DRSUAPI_INTERFACE, timeoutMs: 3_000 })
  assert.equal(port, 49153)
})

test('an interface the mapper does not know is RPC_ENDPOINT_NOT_FOUND with the status', async () => {
  const mapper = await FakeRpcServer.start({ handler: () => eptMapReply([], 0x16c9a0d6) })
  servers.push(mapper)
  await assert.rejects(
    findTcpPort({ host: '127.0.0.1', port: mapper.port, interfaceId: DRSUAPI_INTERFACE, timeoutMs: 3_000 }),
    (e) => RpcError.is(e) && e.code === 'RPC_ENDPOINT_NOT_FOUND' && /0x16c9a0d6/.test(e.message),
  )
})
