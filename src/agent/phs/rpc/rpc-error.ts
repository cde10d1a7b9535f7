/** @module The one error type of the DCE/RPC transport and its NTLM layer. */

/**
 * Stable codes for the transport's failures. Callers branch on `code`, never on the message.
 * (The catalogue entries with cause and fix live in src/errors once they are added there.)
 */
export type RpcErrorCode =
  | 'RPC_UNREACHABLE'
  | 'RPC_TIMEOUT'
  | 'RPC_CONNECTION_CLOSED'
  | 'RPC_MALFORMED_PDU'
  | 'RPC_BIND_REJECTED'
  | 'RPC_AUTH_UNSUPPORTED'
  | 'RPC_AUTH_FAILED'
  | 'RPC_INTEGRITY_FAILED'
  | 'RPC_FAULT'
  | 'RPC_ENDPOINT_NOT_FOUND'
  | 'RPC_INVALID_ARGUMENT'

/**
 * A transport failure with a stable code. `message` may name the host, the port, PDU types and
 * status codes, and never a password, hash or key, so it is safe to log.
 */
export class RpcError extends Error {
  readonly code: RpcErrorCode
  /** Machine-readable extras, such as `{ status: 0x1c010003, statusHex: '0x1c010003' }` for a fault. */
  readonly data: Readonly<Record<string, unknown>> | undefined

  constructor(code: RpcErrorCode, detail: string, options: { cause?: unknown; data?: Record<string, unknown> } = {}) {
    super(`${code}: ${detail}`, { cause: options.cause })
    this.name = 'RpcError'
    this.code = code
    this.data = options.data
  }

  /** Checks by name so it also works across duplicated module copies. */
  static is(value: unknown): value is RpcError {
    return value instanceof Error && value.name === 'RpcError' && 'code' in value
  }
}

/** `0x1c010003`: how Windows documentation and tools print RPC and Win32 status codes. */
export function hex32(value: number): string {
  return `0x${(value >>> 0).toString(16).padStart(8, '0')}`
}

/** Shorthand for the decoders: every malformed input becomes this one typed error. */
export function malformed(detail: string): RpcError {
  return new RpcError('RPC_MALFORMED_PDU', detail)
}
