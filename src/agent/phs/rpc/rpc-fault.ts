/** @module Fault PDUs as typed errors, with the status in hex and a name for the common ones. */
import { RpcError, hex32 } from './rpc-error.ts'
import type { Fault } from './rpc-pdu.ts'

// The statuses a DRSUAPI or endpoint-mapper client meets in practice (C706 App. E, MS-RPCE §2.2.2.5, MS-ERREF).
const NAMES: Readonly<Record<number, string>> = {
  0x00000005: 'access denied',
  0x000006f7: 'RPC_X_BAD_STUB_DATA, the server could not decode the request',
  0x00000721: 'RPC_S_SEC_PKG_ERROR, a security package error',
  0x1c00001a: 'nca_s_fault_context_mismatch',
  0x1c010002: 'nca_s_op_rng_error, the opnum is out of range',
  0x1c010003: 'nca_s_unk_if, unknown interface',
  0x1c01000b: 'nca_s_proto_error, protocol error',
}

export function faultError(fault: Fault, peer: string): RpcError {
  const status = hex32(fault.status)
  const name = NAMES[fault.status >>> 0]
  return new RpcError(
    'RPC_FAULT',
    `${peer} returned fault ${status}${name ? ` (${name})` : ''}${fault.didNotExecute ? ', the call did not execute' : ''}`,
    { data: { status: fault.status >>> 0, statusHex: status, didNotExecute: fault.didNotExecute } },
  )
}

// What servers answer to the first request after a rejected auth3: Samba 4.17 faults it with
// nca_s_proto_error and PFC_DID_NOT_EXECUTE; Windows uses access denied or a security package error.
const AUTH_REJECTED_STATUSES = new Set([0x00000005, 0x00000721, 0x1c01000b])

/**
 * NTLM's third leg (auth3) gets no answer, so a wrong password shows on the first call, as one
 * of AUTH_REJECTED_STATUSES or a dropped connection.
 */
export function asAuthFailure(e: RpcError, peer: string): RpcError {
  const status = typeof e.data?.status === 'number' ? e.data.status : undefined
  const denied = (status !== undefined && AUTH_REJECTED_STATUSES.has(status)) || e.code === 'RPC_CONNECTION_CLOSED'
  if (!denied) return e
  const how = status !== undefined ? `fault ${hex32(status)}` : 'connection closed'
  return new RpcError(
    'RPC_AUTH_FAILED',
    `${peer} rejected the NTLM authentication on the first call (${how})`,
    { cause: e, data: e.data ? { ...e.data } : undefined },
  )
}
