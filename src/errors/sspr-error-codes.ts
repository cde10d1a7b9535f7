/** @module Self-service password reset codes, numbered as the reference numbers them (§3.4). */
import type { ErrorDefinition } from './error-definition.ts'

export const ssprErrorCodes = {
  SSPR_0009: {
    status: 403,
    message: 'Your organization has not turned on password reset. Contact your administrator.',
    cause: 'TenantSSPRFlagDisabled: self-service password reset is off for the tenant.',
    fix: 'Turn it on with PATCH /api/v1/tenant/settings {"ssprEnabled": true}.',
  },
  SSPR_UNAVAILABLE: {
    status: 503,
    message: 'Password reset is not available right now. Contact your administrator.',
    cause: 'SSPR is enabled, but this idbridge version does not include the reset flow yet.',
    fix: 'Upgrade idbridge to a version with self-service password reset.',
  },
} as const satisfies Record<string, ErrorDefinition>
