/** @module Validates the body of a message an agent sent, as an error value the agent gets back. */
import type { z } from 'zod'
import { IdbridgeError, type Result } from '../../errors/idbridge-error.ts'

/**
 * IDB_ERR_INVALID_INPUT names the first three problems by path and zod's message; zod's messages
 * describe the expected form, never the value, so a malformed password batch echoes no verifier.
 */
export function parseAgentMessage<S extends z.ZodType>(schema: S, body: unknown, what: string): Result<z.infer<S>> {
  const parsed = schema.safeParse(body)
  if (parsed.success) return { ok: true, value: parsed.data }
  const detail = parsed.error.issues
    .slice(0, 3)
    .map((i) => `${i.path.join('.')}: ${i.message}`)
    .join('; ')
  return { ok: false, error: new IdbridgeError('IDB_ERR_INVALID_INPUT', { detail: `${what}: ${detail}` }) }
}
