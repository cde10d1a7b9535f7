/** @module The writeback request the tenant seals for one agent, and the result the agent sends back. */
import { z } from 'zod'

/** The channel request type that carries a sealed password operation. */
export const PASSWORD_OPERATION_OP = 'password.operation'

/**
 * reset: SSPR "I forgot my password" (an admin-style reset in AD, reference §2.6).
 * change: the user gave the old password (delete-old/add-new, so AD enforces history).
 * unlock: SSPR unlock-only. adminReset: a tenant admin reset the user.
 * verify: pass-through check of a sign-in password against AD; nothing is written.
 */
export const passwordOperationKind = z.enum(['reset', 'change', 'unlock', 'adminReset', 'verify'])
export type PasswordOperationKind = z.infer<typeof passwordOperationKind>

/** The clear part of the envelope: what the relay needs to route it. It is authenticated as AES-GCM associated data. */
export const envelopeHeaderSchema = z
  .object({
    v: z.literal(1),
    trackingId: z.uuid(),
    tenantId: z.string().min(1).max(100),
    agentId: z.uuid(),
    /** Which of the agent's encryption keys sealed this, so a rotated key gives event 32004, not a bad decrypt. */
    keyFingerprint: z.string().min(1).max(100),
    operation: passwordOperationKind,
    expiresAt: z.number().int(),
  })
  .strict()
export type EnvelopeHeader = z.infer<typeof envelopeHeaderSchema>

/** The sealed part. The metadata repeats the header so the agent can check the two agree. */
export const passwordPackageSchema = z
  .object({
    trackingId: z.uuid(),
    tenantId: z.string().min(1).max(100),
    agentId: z.uuid(),
    operation: passwordOperationKind,
    expiresAt: z.number().int(),
    /** The tenant's own id for the user, shown as `User_<id>` in events like the reference's cloudAnchor. */
    cloudAnchor: z.string().min(1).max(200),
    /** The sourceAnchor (immutableId) the directory sync exported: base64 of ms-DS-ConsistencyGuid or objectGUID. */
    sourceAnchor: z.string().min(1).max(200),
    userPrincipalName: z.string().min(1).max(256),
    /** Absent for unlock. AD limits unicodePwd to 256 characters. */
    password: z.string().min(1).max(256).optional(),
    /** Only for change and verify. */
    oldPassword: z.string().min(1).max(256).optional(),
    unlockUser: z.boolean(),
    forceChangePasswordNextLogon: z.boolean(),
  })
  .strict()
export type PasswordPackage = z.infer<typeof passwordPackageSchema>

/** What travels over the relay: nothing in it is a secret without the agent's private key. */
export const passwordEnvelopeSchema = z
  .object({
    header: envelopeHeaderSchema,
    /** RSA-OAEP (SHA-256) of the one-time AES-256 key. */
    wrappedKey: z.base64().max(2048),
    iv: z.base64().length(16),
    ciphertext: z.base64().max(8192),
    tag: z.base64().length(24),
  })
  .strict()
export type PasswordEnvelope = z.infer<typeof passwordEnvelopeSchema>

/** A successful operation, as the agent reports it. */
export const passwordOperationResultSchema = z
  .object({
    trackingId: z.uuid(),
    operation: passwordOperationKind,
    /** The account's lockout was cleared. */
    unlocked: z.boolean(),
    /**
     * Whether AD applied password history and minimum age: true for a change, and for a reset when the
     * DC honoured the policy-hints control; false when the DC lacks it and the agent was told to proceed.
     */
    historyEnforced: z.boolean(),
    /** What the agent did to pwdLastSet: 0 (must change), -1 (normal), or nothing. */
    pwdLastSet: z.enum(['mustChange', 'normal', 'unchanged']),
    /** The DC that took the write. */
    domainController: z.string().max(300),
  })
  .strict()
export type PasswordOperationResult = z.infer<typeof passwordOperationResultSchema>

/**
 * Tenant → agent: make new writeback keys. Sent when an admin turns writeback back on, as the
 * reference rolls its key when writeback is disabled and re-enabled.
 */
export const ROTATE_WRITEBACK_KEYS_OP = 'writeback.rotate-keys'
