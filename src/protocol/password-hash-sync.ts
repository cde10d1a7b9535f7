/** @module The password hash sync batch an agent sends to the tenant, and the per-user results it gets back. */
import { z } from 'zod'

/** The channel request that carries OrgId verifiers for 1 to 50 users (reference §1.9, event 650). */
export const PHS_BATCH_OP = 'phs.batch'
/** The idle heartbeat (events 653/654): it proves the tenant still takes password hash sync. */
export const PHS_PING_OP = 'phs.ping'
/** Tenant to agent: `phs resync --all`, the reference's ForceFullPasswordSync. */
export const PHS_RESYNC_OP = 'phs.resync'

export const PHS_BATCH_MAX = 50

/** Only the stretched verifier crosses the channel; the NT hash never leaves the agent. */
export const orgIdVerifierText = z.string().regex(/^v1;PPH1_MD4,[0-9a-f]{20},[1-9][0-9]{0,6},[0-9a-f]{64};$/)

export const passwordHashItemSchema = z
  .object({
    sourceAnchor: z.string().min(4).max(64),
    distinguishedName: z.string().min(3).max(2048),
    /** When AD last set the password (pwdLastSet), ISO 8601; null for a "must change" password. */
    changedAt: z.iso.datetime().nullable(),
    verifier: orgIdVerifierText,
    /** pwdLastSet = 0: "User must change password at next logon" (reference §1.6). */
    temporary: z.boolean(),
  })
  .strict()
export type PasswordHashItem = z.infer<typeof passwordHashItemSchema>

export const passwordHashBatchSchema = z
  .object({
    /** initial: the first full sync; resync: `phs resync --all`; delta: changed users only. */
    kind: z.enum(['initial', 'resync', 'delta']),
    items: z.array(passwordHashItemSchema).min(1).max(PHS_BATCH_MAX),
  })
  .strict()
export type PasswordHashBatch = z.infer<typeof passwordHashBatchSchema>

/** The reference's per-object PHS log statuses that a tenant can give (PHS-TSHOOT). */
export const passwordHashResultStatus = z.enum(['Success', 'FilteredByTarget', 'TargetNotExportedToDirectory', 'Error'])
export type PasswordHashResultStatus = z.infer<typeof passwordHashResultStatus>

export const passwordHashResultSchema = z
  .object({
    sourceAnchor: z.string(),
    status: passwordHashResultStatus,
    /** Why, for anything but Success: shown in event 657 as the extended error. */
    detail: z.string().max(500).optional(),
  })
  .strict()
export type PasswordHashResult = z.infer<typeof passwordHashResultSchema>

export const passwordHashBatchReplySchema = z.object({ results: z.array(passwordHashResultSchema) }).strict()
export type PasswordHashBatchReply = z.infer<typeof passwordHashBatchReplySchema>
