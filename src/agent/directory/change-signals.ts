/** @module What a delta pass saw change, before the connector decides what it means for sync. */
import type { AdEntry } from './ad-entry.ts'

/** Objects a DirSync or uSNChanged pass reported, keyed by base64 objectGUID. */
export interface ChangeSignals {
  /** Live objects that changed: users, groups, anything; the connector re-reads them to decide. */
  readonly changed: Map<string, string>
  /** Tombstones (isDeleted) the account was allowed to see, with their mangled DN. */
  readonly tombstones: Map<string, string>
}

export function emptySignals(): ChangeSignals {
  return { changed: new Map(), tombstones: new Map() }
}

/** Files one returned entry under `changed` or `tombstones`; entries without a GUID are ignored. */
export function addSignal(signals: ChangeSignals, entry: AdEntry): void {
  const guid = entry.buffer('objectGUID')
  if (guid?.length !== 16) return
  const key = guid.toString('base64')
  if ((entry.text('isDeleted') ?? '').toUpperCase() === 'TRUE') signals.tombstones.set(key, entry.dn)
  else signals.changed.set(key, entry.dn)
}
