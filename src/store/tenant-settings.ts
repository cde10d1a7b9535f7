/** @module A tenant's settings, validated on read so that older rows gain new defaults. */
import { z } from 'zod'

export const tenantSettingsSchema = z
  .object({
    /** Self-service password reset for the tenant (SSPR_0009 when off). */
    ssprEnabled: z.boolean().default(false),
    /** Writeback of resets to on-premises AD (SSPR_0010 when off for a synced user). */
    passwordWritebackEnabled: z.boolean().default(false),
    /** How many verification gates a non-admin passes: 1 or 2. Admins always pass 2. */
    ssprGatesRequired: z.union([z.literal(1), z.literal(2)]).default(1),
    /** Group whose members may use SSPR; none means everyone (SSPR_0013). */
    ssprScopeGroupId: z.string().nullable().default(null),
    /** A license the user must hold to use SSPR (SSPR_0012); none means no license is required. */
    ssprRequiredLicense: z.string().min(1).max(100).nullable().default(null),
    /** Users may unlock without resetting. */
    ssprAllowUnlockOnly: z.boolean().default(true),
    /** Password hash sync delivers verifiers for synced users. */
    passwordHashSyncEnabled: z.boolean().default(false),
    /** Cloud expiry and lockout rules also apply to synced users (CloudPasswordPolicyForPasswordSyncedUsersEnabled). */
    cloudPasswordPolicyForSyncedUsers: z.boolean().default(false),
    /**
     * Temporary passwords (AD "must change at next logon") sync too, and the user must change at the
     * next sign-in, through writeback (UserForcePasswordChangeOnLogonEnabled, reference §1.6).
     */
    forcePasswordChangeOnLogOn: z.boolean().default(false),
    /** Up to 1000 banned terms of 4–16 characters. */
    customBannedPasswords: z.array(z.string().min(4).max(16)).max(1000).default([]),
  })
  .strict()

export type TenantSettings = z.infer<typeof tenantSettingsSchema>

/** The same schema with every key optional, for PATCH. */
export const tenantSettingsPatchSchema = tenantSettingsSchema.partial()
