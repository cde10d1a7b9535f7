/** @module SSPR throttling as the reference does it: 5 of a kind an hour per user ID, then blocked for 24 hours. */
import { IdbridgeError } from '../../errors/idbridge-error.ts'
import type { Store } from '../../store/store.ts'
import { activities, categories, services } from '../audit/audit-activities.ts'
import type { SsprFlowState } from './sspr-flow-state.ts'

export const ATTEMPTS_PER_HOUR = 5
const HOUR_MS = 60 * 60_000
const BLOCK_MS = 24 * HOUR_MS

/**
 * The reference's three counters: codes sent (its "phone validations"), failed gate answers, and
 * resets of the account. Each allows 5 an hour; exceeding any blocks the whole user ID.
 */
export type AttemptKind = 'send' | 'gateFailure' | 'reset'

export type ThrottleVerdict = 'allowed' | 'blocked' | 'justBlocked'

/** Whether the user ID is blocked now, without counting anything. */
export async function isBlocked(store: Store, tenantId: string, subjectKey: string, now: number): Promise<boolean> {
  const current = await store.ssprThrottles.get(tenantId, subjectKey)
  return (current?.blockedUntil ?? 0) > now
}

/**
 * Counts one attempt. The sixth of a kind within an hour blocks the ID for 24 hours from then;
 * attempts while blocked extend nothing, so an attacker who keeps trying cannot lock a user out for ever.
 */
export async function countAttempt(
  store: Store,
  tenantId: string,
  subjectKey: string,
  kind: AttemptKind,
  now: number,
): Promise<ThrottleVerdict> {
  if (await isBlocked(store, tenantId, subjectKey, now)) return 'blocked'
  const key = `${kind}:${subjectKey}`
  const current = await store.ssprThrottles.get(tenantId, key)
  const attempts = [...(current?.attempts ?? []).filter((at) => at > now - HOUR_MS), now]
  if (attempts.length > ATTEMPTS_PER_HOUR) {
    await store.ssprThrottles.put(tenantId, key, { attempts: [], blockedUntil: null })
    await store.ssprThrottles.put(tenantId, subjectKey, { attempts: [], blockedUntil: now + BLOCK_MS })
    return 'justBlocked'
  }
  await store.ssprThrottles.put(tenantId, key, { attempts, blockedUntil: null })
  return 'allowed'
}

/**
 * Counts an attempt of a flow's user ID and throws SSPR_BLOCKED when it is over the limit. The
 * attempt that blocks is audited as the reference's "Blocked from self-service password reset".
 */
export async function throttleFlow(
  store: Store,
  tenantId: string,
  state: SsprFlowState,
  kind: AttemptKind,
  context: { now: number; correlationId: string },
): Promise<void> {
  const verdict = await countAttempt(store, tenantId, state.subjectKey ?? '', kind, context.now)
  if (verdict === 'justBlocked') {
    await store.audit.append({
      tenantId,
      activity: activities.ssprBlocked,
      service: services.sspr,
      category: categories.user,
      actor: state.userPrincipalName ?? '',
      target: state.userPrincipalName ?? '',
      result: 'failure',
      failureReason: 'UserThrottled',
      correlationId: context.correlationId,
      details: { userId: state.userId ?? '', attempt: kind },
    })
  }
  if (verdict !== 'allowed') throw new IdbridgeError('SSPR_BLOCKED', { detail: state.subjectKey ?? '' })
}
