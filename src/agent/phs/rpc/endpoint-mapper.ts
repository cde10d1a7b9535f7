/**
 * @module The endpoint mapper client (C706 App. L, ept_map on TCP port 135, unauthenticated):
 * which TCP port serves an interface. Hand-encoded NDR, because the request is one fixed shape and
 * the reply is read with a bounds check at every step.
 */
import { RpcError, hex32, malformed } from './rpc-error.ts'
import { RpcSession } from './rpc-session.ts'
import { RpcSocket } from './rpc-socket.ts'
import { uuidFromBytes, uuidToBytes } from '../ndr/ndr-writer.ts'
import { NDR_SYNTAX, type SyntaxId } from './rpc-uuid.ts'

export const EPM_INTERFACE: SyntaxId = { uuid: 'e1af8308-5d1f-11c9-91a4-08002b14a0fa', version: [3, 0] }
export const EPM_PORT = 135
const OPNUM_EPT_MAP = 3
const MAX_TOWERS = 4

// Protocol identifiers of tower floors (C706 App. I).
const PROTO_UUID = 0x0d
const PROTO_NCACN = 0x0b
const PROTO_TCP = 0x07
const PROTO_IP = 0x09

function floor(lhs: Buffer, rhs: Buffer): Buffer {
  const out = Buffer.alloc(4 + lhs.length + rhs.length)
  out.writeUInt16LE(lhs.length, 0)
  lhs.copy(out, 2)
  out.writeUInt16LE(rhs.length, 2 + lhs.length)
  rhs.copy(out, 4 + lhs.length)
  return out
}

function uuidFloor(s: SyntaxId): Buffer {
  const lhs = Buffer.alloc(19)
  lhs[0] = PROTO_UUID
  uuidToBytes(s.uuid).copy(lhs, 1)
  lhs.writeUInt16LE(s.version[0], 17)
  const rhs = Buffer.alloc(2)
  rhs.writeUInt16LE(s.version[1])
  return floor(lhs, rhs)
}

/** The five-floor ncacn_ip_tcp tower: interface, NDR, connection-oriented RPC, TCP port, IPv4 address. */
export function encodeTcpTower(interfaceId: SyntaxId, port = 0, address = '0.0.0.0'): Buffer {
  const portBytes = Buffer.alloc(2)
  portBytes.writeUInt16BE(port) // tower ports and addresses are big-endian (C706 App. I)
  const ip = Buffer.from(address.split('.').map(Number))
  const count = Buffer.alloc(2)
  count.writeUInt16LE(5)
  return Buffer.concat([
    count,
    uuidFloor(interfaceId),
    uuidFloor(NDR_SYNTAX),
    floor(Buffer.from([PROTO_NCACN]), Buffer.alloc(2)),
    floor(Buffer.from([PROTO_TCP]), portBytes),
    floor(Buffer.from([PROTO_IP]), ip),
  ])
}

/** The TCP port in a tower for `interfaceId`, or undefined if the tower is for something else. */
export function tcpPortFromTower(tower: Buffer, interfaceId: SyntaxId): number | undefined {
  if (tower.length < 2) throw malformed('ept_map tower is shorter than its floor count')
  const count = tower.readUInt16LE(0)
  let at = 2
  let port: number | undefined
  for (let n = 0; n < count; n++) {
    if (tower.length - at < 2) throw malformed('ept_map tower ends inside a floor')
    const lhsLength = tower.readUInt16LE(at)
    if (tower.length - at - 2 < lhsLength + 2) throw malformed('ept_map tower floor runs past the tower')
    const lhs = tower.subarray(at + 2, at + 2 + lhsLength)
    const rhsLength = tower.readUInt16LE(at + 2 + lhsLength)
    const rhsAt = at + 4 + lhsLength
    if (tower.length - rhsAt < rhsLength) throw malformed('ept_map tower floor runs past the tower')
    const rhs = tower.subarray(rhsAt, rhsAt + rhsLength)
    if (n === 0 && (lhs.length !== 19 || lhs[0] !== PROTO_UUID || uuidFromBytes(lhs.subarray(1, 17)) !== interfaceId.uuid)) {
      return undefined
    }
    if (lhs.length === 1 && lhs[0] === PROTO_TCP && rhs.length === 2) port = rhs.readUInt16BE(0)
    at = rhsAt + rhsLength
  }
  return port
}

/** ept_map's [in] parameters: nil object, the query tower, a nil lookup handle, and max_towers. */
export function encodeEptMapRequest(interfaceId: SyntaxId): Buffer {
  const tower = encodeTcpTower(interfaceId)
  const head = Buffer.alloc(4 + 16 + 4 + 4 + 4)
  head.writeUInt32LE(1, 0) // object: full pointer to a nil UUID
  head.writeUInt32LE(2, 20) // map_tower: full pointer to twr_t
  head.writeUInt32LE(tower.length, 24) // twr_t is a conformant struct: max_count comes first
  head.writeUInt32LE(tower.length, 28) // tower_length
  const pad = Buffer.alloc((4 - (tower.length % 4)) % 4)
  const tail = Buffer.alloc(20 + 4) // entry_handle (nil context handle), max_towers
  tail.writeUInt32LE(MAX_TOWERS, 20)
  return Buffer.concat([head, tower, pad, tail])
}

/** ept_map's [out] parameters: the towers and the status (0, or e.g. EPT_S_NOT_REGISTERED 0x16c9a0d6). */
export function decodeEptMapResponse(stub: Buffer): { status: number; towers: Buffer[] } {
  let at = 0
  const u32 = (what: string) => {
    at = (at + 3) & ~3
    if (stub.length - at < 4) throw malformed(`ept_map reply ends before ${what}`)
    const v = stub.readUInt32LE(at)
    at += 4
    return v
  }
  at = 20 // entry_handle
  const numTowers = u32('num_towers')
  const maxCount = u32('the towers max_count')
  const offset = u32('the towers offset')
  const actual = u32('the towers actual_count')
  if (offset !== 0 || actual > maxCount || actual > numTowers || actual > MAX_TOWERS) {
    throw malformed(`ept_map reply has an inconsistent tower array (${numTowers}, ${maxCount}, ${offset}, ${actual})`)
  }
  const pointers = Array.from({ length: actual }, () => u32('a tower pointer'))
  const towers: Buffer[] = []
  for (const p of pointers) {
    if (p === 0) continue
    const conformance = u32('a tower max_count')
    const length = u32('a tower length')
    if (length !== conformance || stub.length - at < length) throw malformed('ept_map tower runs past the reply')
    towers.push(stub.subarray(at, at + length))
    at += length
  }
  return { status: u32('the status'), towers }
}

/** Asks `host`'s endpoint mapper which TCP port serves `interfaceId`. */
export async function findTcpPort(options: {
  host: string
  interfaceId: SyntaxId
  timeoutMs: number
  /** The endpoint mapper's own port; tests use another. */
  port?: number
}): Promise<number> {
  const socket = await RpcSocket.open(options.host, options.port ?? EPM_PORT, options.timeoutMs)
  try {
    const session = await RpcSession.bind(socket, { interfaceId: EPM_INTERFACE, timeoutMs: options.timeoutMs })
    const reply = decodeEptMapResponse(await session.call(OPNUM_EPT_MAP, encodeEptMapRequest(options.interfaceId)))
    const port = reply.towers.map((t) => tcpPortFromTower(t, options.interfaceId)).find((p) => p !== undefined && p > 0)
    if (reply.status !== 0 || port === undefined) {
      throw new RpcError(
        'RPC_ENDPOINT_NOT_FOUND',
        `the endpoint mapper on ${options.host} has no TCP endpoint for ${options.interfaceId.uuid} ` +
          `(status ${hex32(reply.status)}, ${reply.towers.length} towers)`,
        { data: { status: reply.status } },
      )
    }
    return port
  } catch (error) {
    socket.fail(RpcError.is(error) ? error : new RpcError('RPC_MALFORMED_PDU', String(error)))
    throw error
  } finally {
    await socket.close()
  }
}
