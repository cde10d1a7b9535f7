/** @module The one error type that carries a catalogue code across every boundary. */
import { type ErrorCode, errorCatalogue } from './error-catalogue.ts'

/**
 * An operational failure with a stable code. `detail` is for the admin and the log (it may name
 * keys, DCs or ids); the user sees only the catalogue's safe message.
 *
 * @example
 * throw new IdbridgeError('IDB_ERR_CONFIG_INVALID', { detail: 'http.port: expected a number' })
 */
export class IdbridgeError extends Error {
  readonly code: ErrorCode
  readonly detail: string | undefined
  /** Extra fields a client may rely on, such as the SCIM scimType. */
  readonly data: Readonly<Record<string, unknown>> | undefined

  constructor(code: ErrorCode, options: { detail?: string; cause?: unknown; data?: Record<string, unknown> } = {}) {
    super(options.detail ? `${code}: ${options.detail}` : code, { cause: options.cause })
    this.name = 'IdbridgeError'
    this.code = code
    this.detail = options.detail
    this.data = options.data
  }

  get status(): number {
    return errorCatalogue[this.code].status
  }

  /** Checks by name so it also works across duplicated module copies. */
  static is(value: unknown): value is IdbridgeError {
    return value instanceof Error && value.name === 'IdbridgeError' && 'code' in value
  }
}

/** An operational outcome: callers branch on it instead of catching. */
export type Result<T, E = IdbridgeError> = { ok: true; value: T } | { ok: false; error: E }
