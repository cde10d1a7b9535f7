/** @module The one catalogue of stable error codes that logs, pages, the API and the docs share. */
import { agentErrorCodes } from './agent-error-codes.ts'
import { channelErrorCodes } from './channel-error-codes.ts'
import { cloudErrorCodes } from './cloud-error-codes.ts'
import type { ErrorDefinition } from './error-definition.ts'
import { healthErrorCodes } from './health-error-codes.ts'
import { labErrorCodes } from './lab-error-codes.ts'
import { notifyErrorCodes } from './notify-error-codes.ts'
import { phsErrorCodes } from './phs-error-codes.ts'
import { ssprErrorCodes } from './sspr-error-codes.ts'
import { writebackErrorCodes } from './writeback-error-codes.ts'

// Each area keeps its codes in its own file so that features land without touching each other.
export const errorCatalogue = {
  ...agentErrorCodes,
  ...cloudErrorCodes,
  ...channelErrorCodes,
  ...healthErrorCodes,
  ...labErrorCodes,
  ...notifyErrorCodes,
  ...phsErrorCodes,
  ...ssprErrorCodes,
  ...writebackErrorCodes,
} as const satisfies Record<string, ErrorDefinition>

export type ErrorCode = keyof typeof errorCatalogue

export function describeError(code: ErrorCode): ErrorDefinition {
  return errorCatalogue[code]
}
