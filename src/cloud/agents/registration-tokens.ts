/** @module One-time agent registration tokens: shown once, stored as a SHA-256 digest, valid for one hour. */
import { randomBytes } from 'node:crypto'
import { REGISTRATION_TOKEN_TTL_MS } from '../../protocol/registration-messages.ts'
import type { Store } from '../../store/store.ts'
import type { Clock } from '../../time/clock.ts'
import { digestToken } from '../auth/admin-tokens.ts'

/** A distinct prefix from admin tokens, so a leaked one is recognised and cannot be mistaken for the other. */
export const REGISTRATION_TOKEN_PREFIX = 'idbreg_'

export async function createRegistrationToken(
  store: Store,
  clock: Clock,
  tenantId: string,
): Promise<{ token: string; expiresAt: number }> {
  const token = `${REGISTRATION_TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`
  const expiresAt = clock.now() + REGISTRATION_TOKEN_TTL_MS
  await store.agents.createRegistrationToken(tenantId, digestToken(token), expiresAt)
  return { token, expiresAt }
}
