/** @module Agent event log entries shipped to the tenant over the channel. */
import { z } from 'zod'

export const AGENT_EVENTS_MESSAGE = 'events.batch'

export const agentEventsBatchSchema = z
  .object({
    events: z
      .array(
        z
          .object({
            at: z.iso.datetime({ offset: true }),
            id: z.number().int().min(0).max(1_000_000),
            source: z.string().min(1).max(64),
            level: z.enum(['information', 'warning', 'error']),
            message: z.string().max(4000),
            data: z.record(z.string().max(64), z.union([z.string().max(2000), z.number(), z.boolean(), z.null()])).optional(),
          })
          .strict(),
      )
      .max(200),
    /** Events dropped because the buffer overflowed while the tenant was unreachable. */
    dropped: z.number().int().min(0),
  })
  .strict()

export type AgentEventsBatch = z.infer<typeof agentEventsBatchSchema>
