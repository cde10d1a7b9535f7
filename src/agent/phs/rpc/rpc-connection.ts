/**
 * @module The entry point of the transport: an NTLMv2, packet-privacy DCE/RPC connection over TCP
 * to one interface, found through the endpoint mapper when no port is given.
 */
import { findTcpPort } from './endpoint-mapper.ts'
import type { RpcCredentials } from './ntlm-client.ts'
import { RpcError } from './rpc-error.ts'
import { type RpcCallTransport, RpcSession } from './rpc-session.ts'
import { RpcSocket } from './rpc-socket.ts'
import { uuidToBytes } from '../ndr/ndr-writer.ts'
import type { SyntaxId } from './rpc-uuid.ts'

export type { RpcCredentials } from './ntlm-client.ts'
export type { CallOptions, RpcCallTransport } from './rpc-session.ts'
export { RpcError, type RpcErrorCode } from './rpc-error.ts'

/** DRSUAPI (MS-DRSR), the interface this transport exists for. */
export const DRSUAPI_INTERFACE: SyntaxId = { uuid: 'e3514235-4b06-11d1-ab04-00c04fc2dcd2', version: [4, 0] }

const DEFAULT_TIMEOUT_MS = 30_000

/** Where and as whom to connect. */
export interface ConnectRpcOptions {
  readonly host: string
  /** The interface's TCP port; without it the endpoint mapper on port 135 is asked. */
  readonly port?: number
  readonly interfaceId: SyntaxId
  readonly credentials: RpcCredentials
  /** Deadline of each step (endpoint mapper, TCP connect, bind) and the default per call. 30 s. */
  readonly timeoutMs?: number
}

export async function connectRpc(options: ConnectRpcOptions): Promise<RpcCallTransport> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS
  validate(options, timeoutMs)
  const port = options.port ?? (await findTcpPort({ host: options.host, interfaceId: options.interfaceId, timeoutMs }))
  const socket = await RpcSocket.open(options.host, port, timeoutMs)
  try {
    return await RpcSession.bind(socket, {
      interfaceId: options.interfaceId,
      credentials: options.credentials,
      timeoutMs,
    })
  } catch (error) {
    const e = RpcError.is(error) ? error : new RpcError('RPC_MALFORMED_PDU', String(error), { cause: error })
    socket.fail(e)
    throw e
  }
}

function validate(options: ConnectRpcOptions, timeoutMs: number): void {
  const bad = (what: string) => new RpcError('RPC_INVALID_ARGUMENT', what)
  try {
    uuidToBytes(options.interfaceId.uuid)
  } catch {
    throw bad(`interface id ${JSON.stringify(options.interfaceId.uuid)} is not a UUID`)
  }
  const [major, minor] = options.interfaceId.version
  if (![major, minor].every((v) => Number.isInteger(v) && v >= 0 && v <= 0xffff)) throw bad('interface version is not two u16')
  if (options.port !== undefined && !(Number.isInteger(options.port) && options.port > 0 && options.port <= 0xffff)) {
    throw bad(`port ${options.port} is not a TCP port`)
  }
  if (!(timeoutMs > 0)) throw bad(`timeoutMs ${timeoutMs} is not positive`)
  if (!options.credentials.username) throw bad('the username is empty')
}
