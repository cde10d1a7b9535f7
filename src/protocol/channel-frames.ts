/** @module The agent channel's frames, zod-validated on both ends: every frame has an id, a type and an expiry. */
import { z } from 'zod'

/** ws refuses bigger frames; a password operation is < 1 KB and a sync batch is chunked below this. */
export const MAX_FRAME_BYTES = 1024 * 1024

/** Whether a body leaves room for the envelope within MAX_FRAME_BYTES; a bigger frame would close the socket. */
export function fitsInFrame(body: unknown): boolean {
  return Buffer.byteLength(JSON.stringify(body) ?? '') <= MAX_FRAME_BYTES - 4096
}

/** The path the agent connects to, with a version so a later protocol can live beside this one. */
export const CHANNEL_PATH = '/agent/connect'

/** An operation name such as `password.reset` or `sync.batch`, chosen by the feature that uses the channel. */
const op = z.string().regex(/^[a-z][a-z0-9.-]{0,63}$/, 'a lowercase operation name such as password.reset')

const base = {
  id: z.uuid(),
  /** Epoch ms on the tenant's clock; the agent corrects its own clock by the offset it learned in the challenge. */
  expiresAt: z.number().int().nonnegative(),
}

/** Tenant → agent, first frame on every connection. */
export const challengeFrame = z
  .object({
    ...base,
    type: z.literal('challenge'),
    nonce: z.string().regex(/^[A-Za-z0-9_-]{43}$/, '32 random bytes, base64url'),
    serverTime: z.number().int().nonnegative(),
  })
  .strict()

/** Agent → tenant: the answer to the challenge, signed with the identity key. */
export const helloFrame = z
  .object({
    ...base,
    type: z.literal('hello'),
    agentId: z.uuid(),
    /** The cloud origin the agent believes it talks to; part of the signed text. */
    origin: z.string().max(300),
    signature: z.string().max(200),
    host: z.string().min(1).max(255),
    version: z.string().min(1).max(64),
    /** `control` connections (rotate-keys) never receive requests and do not change the agent's state. */
    purpose: z.enum(['serve', 'control']),
  })
  .strict()

/** Tenant → agent: the handshake succeeded. */
export const welcomeFrame = z
  .object({
    ...base,
    type: z.literal('welcome'),
    tenantId: z.string().min(1),
    node: z.string().min(1),
    serverTime: z.number().int().nonnegative(),
    /** How long the tenant waits in silence before it marks the agent offline. */
    silenceTimeoutMs: z.number().int().positive(),
  })
  .strict()

export const heartbeatFrame = z.object({ ...base, type: z.literal('heartbeat') }).strict()

export const heartbeatAckFrame = z
  .object({ ...base, type: z.literal('heartbeat-ack'), replyTo: z.uuid(), serverTime: z.number().int() })
  .strict()

/** Tenant → agent: carry out an operation; exactly one response comes back. */
export const requestFrame = z
  .object({
    ...base,
    type: z.literal('request'),
    op,
    body: z.unknown(),
    /** The same key on a second request returns the first result instead of running it again. */
    idempotencyKey: z.string().min(1).max(200).optional(),
  })
  .strict()

/** Agent → tenant: an operation of the agent's own (sync batch, event batch); exactly one response comes back. */
export const messageFrame = z.object({ ...base, type: z.literal('message'), op, body: z.unknown() }).strict()

export const errorBody = z
  .object({
    code: z.string().min(1).max(100),
    detail: z.string().max(2000).optional(),
    /** Structured facts such as the event ID and root cause; primitives only, never a secret. */
    data: z.record(z.string().max(100), z.union([z.string().max(2000), z.number(), z.boolean(), z.null()])).optional(),
  })
  .strict()

/** Either direction: the outcome of a request or message, correlated by `replyTo`. */
export const responseFrame = z
  .object({
    ...base,
    type: z.literal('response'),
    replyTo: z.uuid(),
    ok: z.boolean(),
    body: z.unknown().optional(),
    error: errorBody.optional(),
  })
  .strict()

export const agentToTenantFrame = z.discriminatedUnion('type', [
  helloFrame,
  heartbeatFrame,
  messageFrame,
  responseFrame,
])
export const tenantToAgentFrame = z.discriminatedUnion('type', [
  challengeFrame,
  welcomeFrame,
  heartbeatAckFrame,
  requestFrame,
  responseFrame,
])

export type ChallengeFrame = z.infer<typeof challengeFrame>
export type HelloFrame = z.infer<typeof helloFrame>
export type WelcomeFrame = z.infer<typeof welcomeFrame>
export type HeartbeatFrame = z.infer<typeof heartbeatFrame>
export type RequestFrame = z.infer<typeof requestFrame>
export type MessageFrame = z.infer<typeof messageFrame>
export type ResponseFrame = z.infer<typeof responseFrame>
export type AgentToTenantFrame = z.infer<typeof agentToTenantFrame>
export type TenantToAgentFrame = z.infer<typeof tenantToAgentFrame>

/** Parses one text frame; a failure carries a short reason safe to log (never the frame itself). */
export function parseFrame<S extends z.ZodType>(
  schema: S,
  data: unknown,
): { ok: true; frame: z.infer<S> } | { ok: false; reason: string } {
  let json: unknown
  try {
    json = JSON.parse(String(data))
  } catch {
    return { ok: false, reason: 'not JSON' }
  }
  const parsed = schema.safeParse(json)
  if (parsed.success) return { ok: true, frame: parsed.data }
  const reason = parsed.error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.join('.') || '(frame)'}: ${issue.message}`)
    .join('; ')
  return { ok: false, reason }
}
