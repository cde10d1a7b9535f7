/**
 * @module The typed failures of the DRSUAPI client. Every one carries a stable `code`; decoding
 * problems in a reply stay NdrDecodeError (NDR_MALFORMED) from the NDR reader.
 */

export type DrsErrorCode =
  /** A DRSUAPI method returned a nonzero WERROR; `werror` holds it. */
  | 'DRS_CALL_FAILED'
  /** The server answered with a message version this client does not decode (compressed or V1). */
  | 'DRS_REPLY_UNSUPPORTED'
  /** The DC's DRS_EXTENSIONS lack something we need (V8 requests, strong encryption). */
  | 'DRS_SERVER_UNSUPPORTED'
  /** A caller passed an argument that cannot be encoded (no DN and no GUID, an invalid OID...). */
  | 'DRS_INVALID_REQUEST'
  /** The client was used after unbind(). */
  | 'DRS_NOT_BOUND'
  /** A secret attribute value is too short or decrypts to the wrong length. */
  | 'DRS_SECRET_MALFORMED'
  /** A replicated objectSid is not a well-formed binary SID, so no RID can be derived from it. */
  | 'DRS_SID_MALFORMED'
  /** The CRC32 inside ENCRYPTED_PAYLOAD does not match: wrong session key or corrupted value. */
  | 'DRS_SECRET_CHECKSUM_MISMATCH'

export class DrsError extends Error {
  readonly code: DrsErrorCode
  /** The WERROR of a failed call, when there is one. */
  readonly werror: number | undefined

  constructor(code: DrsErrorCode, message: string, options: { werror?: number; cause?: unknown } = {}) {
    super(`${code}: ${message}`, { cause: options.cause })
    this.name = 'DrsError'
    this.code = code
    this.werror = options.werror
  }

  static is(value: unknown): value is DrsError {
    return value instanceof Error && value.name === 'DrsError' && 'code' in value
  }
}

/** A WERROR as the 0x-prefixed, 8-digit hex that Microsoft documents them in. */
export function formatWerror(werror: number): string {
  return `0x${(werror >>> 0).toString(16).padStart(8, '0')}`
}

/** Throws DRS_CALL_FAILED unless the method's return value is 0 (ERROR_SUCCESS). */
export function checkWerror(method: string, werror: number): void {
  if (werror !== 0) {
    throw new DrsError('DRS_CALL_FAILED', `${method} returned WERROR ${formatWerror(werror)}`, { werror })
  }
}
