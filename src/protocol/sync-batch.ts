/** @module The sync batch an agent exports to the tenant over its channel, validated on arrival. */
import { z } from 'zod'

const text = (max: number) => z.string().max(max).nullable()

export const directoryUserSchema = z
  .object({
    sourceAnchor: z.string().min(4).max(64),
    objectGuid: z.string().min(4).max(64),
    distinguishedName: z.string().min(3).max(2048),
    samAccountName: z.string().min(1).max(256),
    userPrincipalName: text(256),
    givenName: text(256),
    surname: text(256),
    displayName: text(256),
    mail: text(256),
    mobile: text(64),
    accountEnabled: z.boolean(),
    protected: z.boolean(),
    pwdLastSet: z.number().int().nullable(),
    passwordNeverExpires: z.boolean(),
    lockedOut: z.boolean(),
    groupDns: z.array(z.string().max(2048)).max(5000),
    usnChanged: z.number().int().nonnegative(),
  })
  .strict()

export const directoryChangeSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('upsert'), user: directoryUserSchema }).strict(),
  z
    .object({
      kind: z.literal('delete'),
      sourceAnchor: z.string().min(4).max(64),
      distinguishedName: z.string().max(2048),
      reason: z.enum(['deleted', 'out-of-scope']),
    })
    .strict(),
])

export const syncBatchSchema = z
  .object({
    /** Chosen by the agent; every batch of one import carries it. */
    runId: z.uuid(),
    kind: z.enum(['full', 'delta']),
    // 500 changes of ~1 KB stay well under the channel's 1 MiB message limit.
    changes: z.array(directoryChangeSchema).max(500),
    failures: z
      .array(z.object({ distinguishedName: z.string().max(2048), detail: z.string().max(1000) }).strict())
      .max(1000),
    /** The last batch of the run: the tenant then settles deletions. */
    final: z.boolean(),
  })
  .strict()

export type SyncBatch = z.infer<typeof syncBatchSchema>
export const SYNC_BATCH_MESSAGE = 'sync.batch'
