/** @module The seam between the agent and Active Directory. */
import type { Result } from '../../errors/idbridge-error.ts'
import type { DirectoryChange, DirectoryUser, DirectoryUserFailure } from './directory-records.ts'

/** Opaque delta state: a DirSync cookie, or a uSNChanged watermark when DirSync is refused. */
export interface DeltaCookie {
  readonly mode: 'dirsync' | 'usn'
  /** base64 of the DirSync cookie, or the highest uSNChanged seen, as a decimal string. */
  readonly value: string
  /** The DC that issued it: a DirSync cookie or USN is only meaningful against the same DC. */
  readonly dc: string
  /**
   * That DC's highestCommittedUSN when the cookie was issued. A DirSync cookie is opaque, so this
   * is where a uSNChanged fallback starts if the DC later refuses DirSync. Optional: older cookies lack it.
   */
  readonly highestUsn?: string
}

export interface FullImportResult {
  readonly users: DirectoryUser[]
  readonly failures: DirectoryUserFailure[]
  /** Where the next delta import starts. */
  readonly cookie: DeltaCookie
}

/** What a caller of fullImport may ask for besides the result. */
export interface FullImportOptions {
  /** Users plus failures read so far, after each page. */
  readonly onProgress?: (done: number) => void
  /**
   * Each page's users, in the order of `users`, as soon as the page is read: every user of the
   * result passes through here before fullImport returns, so a caller can export while AD reads on.
   */
  readonly onUsers?: (users: readonly DirectoryUser[]) => void
  /** Ends the read between pages; the import then fails. */
  readonly signal?: AbortSignal
}

export interface DeltaImportResult {
  readonly changes: DirectoryChange[]
  readonly failures: DirectoryUserFailure[]
  readonly cookie: DeltaCookie
}

/**
 * Reads users in scope from AD. Operational failures (wrong connector password, unreachable DC,
 * untrusted certificate, DirSync refused) come back as errors naming the DC and the fix, with the
 * LDAP result code and AD data code in `data`; they are also written to the event log.
 */
export interface DirectoryConnector {
  /** Every user in scope, paged. */
  fullImport(options?: FullImportOptions): Promise<Result<FullImportResult>>
  /** What changed since `cookie`: updates, moves in and out of scope, and deletions. */
  deltaImport(cookie: DeltaCookie): Promise<Result<DeltaImportResult>>
  /** Calls `onChange` within seconds of a change under the scope (LDAP change notification). */
  watch(onChange: () => void): Promise<Result<{ stop(): Promise<void> }>>
  close(): Promise<void>
}
