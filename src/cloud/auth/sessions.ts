/** @module Browser sessions: a random cookie value, stored as its SHA-256, checked against "sessions valid from". */
import { randomBytes } from 'node:crypto'
import { IdbridgeError, type Result } from '../../errors/idbridge-error.ts'
import type { Store } from '../../store/store.ts'
import type { Session, User } from '../../store/store-records.ts'
import type { Clock } from '../../time/clock.ts'
import { digestToken } from './admin-tokens.ts'

export async function createSession(store: Store, clock: Clock, user: User, minutes: number): Promise<string> {
  const token = randomBytes(32).toString('base64url')
  const now = clock.now()
  await store.sessions.create({
    idHash: digestToken(token),
    tenantId: user.tenantId,
    userId: user.id,
    createdAt: now,
    expiresAt: now + minutes * 60_000,
  })
  return token
}

export async function resolveSession(
  store: Store,
  clock: Clock,
  tenantId: string,
  token: string,
): Promise<Result<{ user: User; session: Session }>> {
  const session = token.length <= 100 ? await store.sessions.get(digestToken(token)) : undefined
  if (!session || session.tenantId !== tenantId || session.expiresAt <= clock.now()) {
    return { ok: false, error: new IdbridgeError('IDB_ERR_UNAUTHENTICATED', { detail: 'no live session' }) }
  }
  const user = await store.users.get(tenantId, session.userId)
  // Checked here as well as deleted on revocation: another node may still hold the row a moment longer.
  if (!user || !user.accountEnabled || session.createdAt < user.sessionsValidFrom) {
    await store.sessions.delete(session.idHash)
    return {
      ok: false,
      error: new IdbridgeError('IDB_ERR_SESSION_REVOKED', { detail: `session of ${session.userId}` }),
    }
  }
  return { ok: true, value: { user, session } }
}

export async function endSession(store: Store, token: string): Promise<void> {
  await store.sessions.delete(digestToken(token))
}
