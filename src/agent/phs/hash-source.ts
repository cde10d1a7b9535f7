/** @module The password hash sync seam: where NT hashes come from. MS-DRSR in production, memory in tests. */
import type { Result } from '../../errors/idbridge-error.ts'

/** One user's replicated password state. `ntHash` is a secret: it lives in memory only and is never logged. */
export interface ReplicatedCredential {
  /** objectGUID in base64, the key the directory sync's anchors use. */
  readonly objectGuid: string
  readonly distinguishedName: string
  /** pwdLastSet in epoch ms, as the directory sync reports it: 0 is "must change at next logon", null never set. */
  readonly pwdLastSet: number | null
  /** Undefined when the user has no password (a hash that is missing is reported, not guessed). */
  readonly ntHash: Buffer | undefined
  /** Why the hash could not be read (a value that failed decryption); the user is retried. */
  readonly unreadable?: string
}

/** How far a full walk got, so `phs status` and events 619 can show progress. */
export interface HashWalkProgress {
  readonly objectsSeen: number
}

/**
 * Where a walk ended: a later walk given it reads only what changed since, the way DCs replicate
 * among themselves. Opaque outside the source that made it; another source, or a DC that does not
 * recognise it, reads everything again, which is slower but never wrong.
 */
export interface HashWatermark {
  readonly position: unknown
}

/**
 * Reads NT hashes from a domain controller. Implementations own their connection; `close` ends it.
 * Failures are values (`AGENT_ERR_PHS_*`), so one bad DC or user never throws through a sync cycle.
 */
export interface HashSource {
  /**
   * The initial sync's walk over the whole naming context, one page at a time; with `since`, only
   * the objects changed after that watermark. Returns where this walk ended. An IdbridgeError
   * thrown by `onPage` ends the walk and comes back as its result.
   */
  readAll(
    onPage: (page: readonly ReplicatedCredential[], progress: HashWalkProgress) => Promise<void>,
    options?: { since?: HashWatermark },
  ): Promise<Result<HashWatermark>>
  /** One changed user, by DN (the reference's per-object replication, EXOP_REPL_OBJ). */
  readOne(distinguishedName: string): Promise<Result<ReplicatedCredential | undefined>>
  close(): Promise<void>
}
