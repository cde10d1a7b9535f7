/** @module What the connector remembers between imports: exported anchors and the last scope facts. */
import type { DirectoryUser } from './directory-records.ts'

/** A user the tenant currently has from us: enough to emit its delete and notice scope changes. */
export interface LiveUser {
  readonly distinguishedName: string
  readonly groupDns: readonly string[]
}

/**
 * In-memory state. `anchors` only grows: once an anchor was exported for an objectGUID it is
 * reused for that object forever, even if ms-DS-ConsistencyGuid is set or changed later.
 */
export class SyncState {
  readonly anchors: Map<string, string>
  /** Users exported and not deleted since, by base64 objectGUID. */
  readonly live = new Map<string, LiveUser>()
  /** Protected users at the last import; a change in this set re-reads the affected users. */
  protectedGuids: Set<string> | null = null
  /** Scope-group members at the last import, when the scope has a group. */
  memberGuids: Set<string> | null = null
  lastPresenceCheckAt = 0

  constructor(knownAnchors: ReadonlyMap<string, string> = new Map()) {
    this.anchors = new Map(knownAnchors)
    // A restarted agent exported these before; their DN is unknown until the next read.
    for (const guid of knownAnchors.keys()) this.live.set(guid, { distinguishedName: '', groupDns: [] })
  }

  /** Records an exported user. */
  remember(user: DirectoryUser): void {
    this.anchors.set(user.objectGuid, user.sourceAnchor)
    this.live.set(user.objectGuid, { distinguishedName: user.distinguishedName, groupDns: user.groupDns })
  }

  forget(guid: string): void {
    this.live.delete(guid)
  }
}
