/** @module Reads and validates a JSON body: malformed JSON and bad fields get catalogue errors naming the field. */
import type { Context } from 'hono'
import type { z } from 'zod'
import { IdbridgeError } from '../../errors/idbridge-error.ts'

export async function readJson<S extends z.ZodType>(c: Context, schema: S): Promise<z.infer<S>> {
  let body: unknown
  try {
    body = JSON.parse(await c.req.text())
  } catch (cause) {
    throw new IdbridgeError('IDB_ERR_MALFORMED_JSON', {
      detail: 'the body does not parse as JSON',
      cause,
      data: { scimType: 'invalidSyntax' },
    })
  }
  return validate(schema, body)
}

/** Validates any input (body, query) and names each bad field with the expected form. */
export function validate<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
  const parsed = schema.safeParse(value)
  if (parsed.success) return parsed.data
  const detail = parsed.error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`)
    .join('; ')
  throw new IdbridgeError('IDB_ERR_INVALID_INPUT', { detail, data: { scimType: 'invalidValue' } })
}
