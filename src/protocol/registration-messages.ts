/** @module The HTTP bodies of `POST /agent/register` and the admin's registration-token call. */
import { z } from 'zod'
import { encryptionPublicKeySchema, identityPublicKeySchema } from './agent-public-keys.ts'

export const REGISTER_PATH = '/agent/register'

/** One hour, as the issue asks: long enough to walk to the server room, short enough to leak harmlessly. */
export const REGISTRATION_TOKEN_TTL_MS = 60 * 60 * 1000

export const registerRequestSchema = z
  .object({
    token: z.string().min(1).max(200),
    host: z.string().min(1).max(255),
    version: z.string().min(1).max(64),
    identityPublicKey: identityPublicKeySchema,
    encryptionPublicKey: encryptionPublicKeySchema,
  })
  .strict()

export const registerResponseSchema = z
  .object({
    agentId: z.uuid(),
    tenantId: z.string().min(1),
    keysCreatedAt: z.number().int(),
  })
  .strict()

export type RegisterRequest = z.infer<typeof registerRequestSchema>
export type RegisterResponse = z.infer<typeof registerResponseSchema>

export const registrationTokenResponseSchema = z.object({ token: z.string(), expiresAt: z.iso.datetime() }).strict()

/** The built-in operation an agent sends over a `control` connection to replace its keys. */
export const ROTATE_KEYS_OP = 'agent.rotate-keys'

export const rotateKeysBodySchema = z
  .object({
    identityPublicKey: identityPublicKeySchema,
    encryptionPublicKey: encryptionPublicKeySchema,
    /** Made with the NEW identity key over the rotation text: proves the agent holds it. */
    newKeySignature: z.string().max(200),
  })
  .strict()

export type RotateKeysBody = z.infer<typeof rotateKeysBodySchema>
