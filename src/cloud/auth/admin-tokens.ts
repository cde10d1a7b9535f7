/** @module Bearer tokens for the admin API: shown once, stored only as a SHA-256 digest. */
import { createHash, randomBytes, randomUUID } from 'node:crypto'
import { IdbridgeError, type Result } from '../../errors/idbridge-error.ts'
import type { Store } from '../../store/store.ts'
import type { AdminToken, Tenant } from '../../store/store-records.ts'
import type { Clock } from '../../time/clock.ts'

const PREFIX = 'idb_'

export const digestToken = (token: string): string => createHash('sha256').update(token).digest('hex')

/** The prefix lets secret scanners recognise a leaked token. */
export async function createAdminToken(
  store: Store,
  clock: Clock,
  options: { tenantId: string; name: string; ttlDays?: number },
): Promise<{ token: string; record: AdminToken }> {
  const token = `${PREFIX}${randomBytes(32).toString('base64url')}`
  const now = clock.now()
  const record: AdminToken = {
    id: randomUUID(),
    tenantId: options.tenantId,
    name: options.name,
    tokenHash: digestToken(token),
    createdAt: now,
    expiresAt: options.ttlDays ? now + options.ttlDays * 86_400_000 : null,
    revokedAt: null,
  }
  await store.adminTokens.create(record)
  return { token, record }
}

export async function authenticateAdminToken(store: Store, clock: Clock, token: string): Promise<Result<Tenant>> {
  const denied = (detail: string): Result<Tenant> => ({
    ok: false,
    error: new IdbridgeError('IDB_ERR_UNAUTHENTICATED', { detail }),
  })
  if (!token.startsWith(PREFIX) || token.length > 200) return denied('not an idbridge admin token')
  const record = await store.adminTokens.getByHash(digestToken(token))
  if (!record) return denied('unknown token')
  if (record.revokedAt !== null) return denied(`token ${record.id} was revoked`)
  if (record.expiresAt !== null && record.expiresAt <= clock.now()) return denied(`token ${record.id} expired`)
  const tenant = await store.tenants.get(record.tenantId)
  return tenant ? { ok: true, value: tenant } : denied('token of a deleted tenant')
}
