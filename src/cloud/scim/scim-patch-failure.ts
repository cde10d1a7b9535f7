/** @module The failure shape shared by the PATCH steps before it becomes an `IdbridgeError`. */

/** RFC 7644 §3.12 `scimType` values that a PATCH operation can fail with. */
export type ScimPatchErrorType = 'invalidPath' | 'invalidValue' | 'noTarget' | 'mutability' | 'invalidSyntax'

/**
 * Why one operation failed; `applyScimPatch` prefixes the detail with the operation's index.
 *
 * @internal
 */
export interface ScimPatchFailure {
  readonly scimType: ScimPatchErrorType
  readonly detail: string
}

/** Shorthand for building a failure. */
export function patchFailure(scimType: ScimPatchErrorType, detail: string): ScimPatchFailure {
  return { scimType, detail }
}
