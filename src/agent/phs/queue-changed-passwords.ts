/** @module Which users of a directory batch have a new password: a pwdLastSet that moved since the last sync. */
import type { DirectoryChange } from '../directory/directory-records.ts'
import type { PhsState } from './phs-state-file.ts'

/**
 * Queues each user whose pwdLastSet differs from the one last synced, due at once, and forgets
 * deleted users; returns how many were queued. A user that has never had a password is left
 * alone until it gets one. An unchanged pwdLastSet queues nothing, which is why an admin's
 * cloud reset holds until the next change in AD.
 */
export function queueChangedPasswords(state: PhsState, changes: readonly DirectoryChange[], now: number): number {
  let queued = 0
  for (const change of changes) {
    if (change.kind === 'delete') {
      for (const [guid, user] of Object.entries(state.users)) {
        if (user.distinguishedName === change.distinguishedName) delete state.users[guid]
      }
      continue
    }
    const { objectGuid, distinguishedName, pwdLastSet } = change.user
    const known = state.users[objectGuid]
    if (known && known.pwdLastSet === pwdLastSet) {
      known.distinguishedName = distinguishedName
      continue
    }
    if (!known && pwdLastSet === null) continue
    state.users[objectGuid] = {
      distinguishedName,
      pwdLastSet,
      syncedAt: known?.syncedAt ?? null,
      lagMs: known?.lagMs ?? null,
      result: 'Pending',
      retry: { attempts: 0, dueAt: now },
    }
    queued++
  }
  return queued
}
