/** @module How the LDAP directory connector is configured. */
import type { AgentEventLog } from '../events/agent-event.ts'
import type { SyncScope } from './directory-records.ts'

export interface DirectoryTimeouts {
  /** TCP + TLS connect per DC. */
  readonly connectMs: number
  /** Each LDAP operation (one page of a paged search counts as one). */
  readonly operationMs: number
}

export interface LdapConnectorOptions {
  /**
   * Preferred DCs in order, `ldaps://host[:636]` or `ldap://host[:389]`; `ldap://` always upgrades
   * with StartTLS before the bind, so the password never crosses the wire in clear text.
   */
  readonly domainControllers: readonly string[]
  readonly baseDn: string
  readonly bindDn: string
  /** Held in memory only; never logged, never written to events. */
  readonly bindPassword: string
  /** PEM of the CA that issued the DCs' certificates. */
  readonly caCert: Buffer | string
  readonly scope: SyncScope
  readonly eventLog: AgentEventLog
  readonly timeouts?: Partial<DirectoryTimeouts>
  /** Page size of paged searches; AD's MaxPageSize default is 1000. */
  readonly pageSize?: number
  /** Anchors exported before a restart, base64 objectGUID → sourceAnchor, so they never change. */
  readonly knownAnchors?: ReadonlyMap<string, string>
  /** Groups outside the scope OUs whose membership is still exported in DirectoryUser.groupDns. */
  readonly groupOus?: readonly string[]
  /**
   * How often a delta also checks that every exported user still exists and is in scope. This is
   * how deletions are seen when the account cannot read tombstones (Samba never shows them to a
   * non-admin, even through DirSync). 0 = on every delta. Default 60 s.
   */
  readonly presenceCheckIntervalMs?: number
  /** Skip DirSync and use uSNChanged polling, as if the DC had refused it. For tests and odd DCs. */
  readonly forceUsnFallback?: boolean
}

export const defaultTimeouts: DirectoryTimeouts = { connectMs: 5_000, operationMs: 30_000 }
