/** @module Folds batch outcomes into per-user health and the retry queue (events 605, 606, 620). */
import type { Clock } from '../../time/clock.ts'
import type { AgentEventLog } from '../events/agent-event.ts'
import type { CredentialOutcome, OutgoingCredential } from './credential-batch-sender.ts'
import { phsEvent } from './phs-events.ts'
import type { PhsStateFile } from './phs-state-file.ts'

/** After this many failed attempts a user leaves the queue (event 620) until its password changes again. */
export const MAX_RETRY_ATTEMPTS = 8
const FIRST_RETRY_MS = 10_000
const LONGEST_RETRY_MS = 30 * 60_000

export function retryDelayMs(attempts: number): number {
  return Math.min(LONGEST_RETRY_MS, FIRST_RETRY_MS * 2 ** Math.max(0, attempts - 1))
}

export function recordOutcomes(
  stateFile: PhsStateFile,
  outgoing: readonly OutgoingCredential[],
  outcomes: readonly CredentialOutcome[],
  context: { clock: Clock; eventLog: AgentEventLog; persist?: boolean },
): void {
  const now = context.clock.now()
  const byGuid = new Map(outgoing.map((o) => [o.credential.objectGuid, o.credential]))
  let added = 0
  let removed = 0
  let givenUp = 0
  stateFile.update((state) => {
    for (const outcome of outcomes) {
      const credential = byGuid.get(outcome.objectGuid)
      if (!credential) continue
      const previous = state.users[outcome.objectGuid]
      const wasQueued = (previous?.retry?.attempts ?? 0) > 0
      const user = {
        distinguishedName: credential.distinguishedName,
        pwdLastSet: credential.pwdLastSet,
        syncedAt: previous?.syncedAt ?? null,
        lagMs: previous?.lagMs ?? null,
        result: outcome.status,
        ...(outcome.detail ? { detail: outcome.detail } : {}),
      }
      if (outcome.status === 'Success') {
        user.syncedAt = now
        user.lagMs = credential.pwdLastSet ? Math.max(0, now - credential.pwdLastSet) : null
      }
      if (!outcome.retryable) {
        if (wasQueued) removed++
        state.users[outcome.objectGuid] = user
        continue
      }
      const attempts = (previous?.retry?.attempts ?? 0) + 1
      if (attempts > MAX_RETRY_ATTEMPTS) {
        givenUp++
        state.users[outcome.objectGuid] = user
        continue
      }
      if (!wasQueued) added++
      state.users[outcome.objectGuid] = { ...user, retry: { attempts, dueAt: now + retryDelayMs(attempts) } }
    }
  }, { persist: context.persist })
  const { eventLog } = context
  if (added) eventLog.write(phsEvent('retryQueued', `Password synchronization added ${added} items to the retry queue.`, { count: added }))
  if (removed) eventLog.write(phsEvent('retryCleared', `Password synchronization removed ${removed} items from the retry queue.`, { count: removed }))
  if (givenUp) {
    eventLog.write(
      phsEvent('noRetryReported', `Password synchronization gave up on ${givenUp} items after ${MAX_RETRY_ATTEMPTS} attempts; they sync again at their next password change or with phs resync --all.`, { count: givenUp }),
    )
  }
}
