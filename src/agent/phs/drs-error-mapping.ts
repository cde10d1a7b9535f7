/** @module Maps transport, NDR and DRS failures onto the catalogue's AGENT_ERR_PHS_* codes, with the DC and the exact status. */
import { IdbridgeError } from '../../errors/idbridge-error.ts'
import { DrsError, formatWerror } from './drs/drs-error.ts'
import { RpcError } from './rpc/rpc-error.ts'

/** WERR_DS_DRA_ACCESS_DENIED: the connector lacks a replication right. */
export const WERR_DS_DRA_ACCESS_DENIED = 0x2105
/** WERR_DS_DRA_BAD_DN: the object is gone. */
export const WERR_DS_DRA_BAD_DN = 0x20f7
/** ERROR_ACCESS_DENIED as a WERROR or an RPC fault status (nca_s_fault_access_denied is 5 too). */
const ACCESS_DENIED = 5

/**
 * One place decides what an operator reads for each failure. The message of RpcError and DrsError
 * is safe to log by their contract (never a key or hash), so it becomes the detail.
 */
export function phsErrorFrom(error: unknown, dc: string): IdbridgeError {
  if (IdbridgeError.is(error)) return error
  if (DrsError.is(error)) {
    const werror = error.werror
    const data = { dc, ...(werror === undefined ? {} : { werror: formatWerror(werror) }) }
    if (werror === WERR_DS_DRA_ACCESS_DENIED || werror === ACCESS_DENIED) {
      return new IdbridgeError('AGENT_ERR_PHS_ACCESS_DENIED', { detail: `${dc}: ${error.message}`, data, cause: error })
    }
    if (error.code === 'DRS_SECRET_CHECKSUM_MISMATCH' || error.code === 'DRS_SECRET_MALFORMED') {
      return new IdbridgeError('AGENT_ERR_PHS_SECRET_UNREADABLE', { detail: `${dc}: ${error.message}`, data, cause: error })
    }
    if (error.code === 'DRS_CALL_FAILED' || error.code === 'DRS_SERVER_UNSUPPORTED') {
      return new IdbridgeError('AGENT_ERR_PHS_DRS_ERROR', { detail: `${dc}: ${error.message}`, data, cause: error })
    }
    return new IdbridgeError('AGENT_ERR_PHS_PROTOCOL', { detail: `${dc}: ${error.message}`, data, cause: error })
  }
  if (RpcError.is(error)) {
    const data: Record<string, unknown> = { dc, rpcCode: error.code }
    if (typeof error.data?.statusHex === 'string') data.rpcStatus = error.data.statusHex
    const detail = `${dc}: ${error.message}`
    switch (error.code) {
      case 'RPC_AUTH_FAILED':
        return new IdbridgeError('AGENT_ERR_PHS_AUTH_FAILED', { detail, data, cause: error })
      case 'RPC_UNREACHABLE':
      case 'RPC_TIMEOUT':
      case 'RPC_CONNECTION_CLOSED':
      case 'RPC_ENDPOINT_NOT_FOUND':
        return new IdbridgeError('AGENT_ERR_PHS_RPC_UNREACHABLE', { detail, data, cause: error })
      case 'RPC_FAULT':
        if (error.data?.status === ACCESS_DENIED) {
          return new IdbridgeError('AGENT_ERR_PHS_ACCESS_DENIED', { detail, data, cause: error })
        }
        return new IdbridgeError('AGENT_ERR_PHS_PROTOCOL', { detail, data, cause: error })
      default:
        return new IdbridgeError('AGENT_ERR_PHS_PROTOCOL', { detail, data, cause: error })
    }
  }
  if (error instanceof Error && (error as { code?: unknown }).code === 'NDR_MALFORMED') {
    return new IdbridgeError('AGENT_ERR_PHS_PROTOCOL', { detail: `${dc}: ${error.message}`, data: { dc }, cause: error })
  }
  // Anything else is a bug in this code, not a DC's answer; keep it visible rather than guess a code.
  throw error
}
