/** @module The records the store holds, in the tenant's own vocabulary. */
import type { RawBuilder, SqlBool } from 'kysely'
import type { TenantSettings } from './tenant-settings.ts'

export interface Tenant {
  readonly id: string
  /** Used in URLs and, later, in banned-password matching. */
  readonly name: string
  readonly displayName: string
  readonly domain: string
  readonly settings: TenantSettings
  readonly createdAt: number
}

/** Where a synced user comes from. Absent for cloud-only users. */
export interface OnPremisesIdentity {
  /** The sourceAnchor (Entra's immutableId): base64 of ms-DS-ConsistencyGuid or objectGUID. */
  readonly immutableId: string
  readonly distinguishedName: string | null
  readonly samAccountName: string | null
  /** True while AD is the source of truth for this user. */
  readonly syncEnabled: boolean
  /** What the last sync read from AD; absent for users created before sync delivered it. */
  readonly state?: OnPremisesState
}

/** AD facts that password reset decisions depend on. */
export interface OnPremisesState {
  /** adminCount=1 or a protected group member: writeback refuses to reset (33004). */
  readonly protected: boolean
  /** Epoch ms; 0 means "must change at next logon". */
  readonly pwdLastSet: number | null
  readonly lockedOut: boolean
  readonly passwordNeverExpires: boolean
}

export interface User {
  readonly id: string
  readonly tenantId: string
  readonly userPrincipalName: string
  readonly givenName: string | null
  readonly surname: string | null
  readonly displayName: string | null
  readonly mail: string | null
  readonly mobile: string | null
  readonly accountEnabled: boolean
  /** Directory roles, e.g. `GlobalAdministrator`. Admins get the two-gate SSPR policy. */
  readonly roles: readonly string[]
  /** e.g. `DisablePasswordExpiration`. */
  readonly passwordPolicies: readonly string[]
  /** License SKUs assigned; SSPR needs one (SSPR_0012). */
  readonly licenses: readonly string[]
  readonly onPremises: OnPremisesIdentity | null
  /** Sessions and tokens issued before this instant are revoked. */
  readonly sessionsValidFrom: number
  /** Bumped on every change; the SCIM ETag. */
  readonly version: number
  readonly createdAt: number
  readonly updatedAt: number
}

export type NewUser = Omit<User, 'id' | 'tenantId' | 'version' | 'createdAt' | 'updatedAt' | 'sessionsValidFrom'>
export type UserChanges = Partial<Omit<NewUser, 'onPremises'>> & { onPremises?: OnPremisesIdentity | null }

export interface Group {
  readonly id: string
  readonly tenantId: string
  readonly displayName: string
  readonly description: string | null
  readonly immutableId: string | null
  readonly onPremisesSyncEnabled: boolean
  readonly version: number
  readonly createdAt: number
  readonly updatedAt: number
}

export type NewGroup = Pick<Group, 'displayName' | 'description' | 'immutableId' | 'onPremisesSyncEnabled'>

export interface Credential {
  /** `scrypt$…` or an OrgId hash `v1;PPH1_MD4,…;`. Never a password. */
  readonly verifier: string
  readonly mustChange: boolean
  readonly updatedAt: number
}

export interface Session {
  /** SHA-256 of the cookie value: a stolen database yields no usable session. */
  readonly idHash: string
  readonly tenantId: string
  readonly userId: string
  readonly createdAt: number
  readonly expiresAt: number
}

export interface AdminToken {
  readonly id: string
  readonly tenantId: string
  readonly name: string
  readonly tokenHash: string
  readonly createdAt: number
  readonly expiresAt: number | null
  readonly revokedAt: number | null
}

/** Smart lockout state for one user. */
export interface SignInLockout {
  readonly failures: number
  /** How many times the lock has been applied; the lock doubles each time. */
  readonly lockLevel: number
  readonly lockedUntil: number
  /** Keyed digests of the last 3 wrong passwords, so a repeated one does not count again. */
  readonly recentBad: readonly string[]
  readonly updatedAt: number
}

export type AuditResult = 'success' | 'failure'

export interface AuditEvent {
  readonly id: string
  readonly tenantId: string
  readonly at: number
  /** The reference's activity name, e.g. `Reset password (self-service)`. */
  readonly activity: string
  /** e.g. `Core Directory`, `Self-service Password Management`, `Authentication`. */
  readonly service: string
  /** e.g. `UserManagement`, `DirectoryManagement`, `SignIn`. */
  readonly category: string
  readonly actor: string
  readonly target: string | null
  readonly result: AuditResult
  readonly failureReason: string | null
  readonly correlationId: string
  readonly details: Readonly<Record<string, string | number | boolean | null>>
}

export type NewAuditEvent = Omit<AuditEvent, 'id' | 'at'> & { at?: number }

export interface AuditQuery {
  readonly activity?: string
  readonly target?: string
  readonly actor?: string
  readonly result?: AuditResult
  readonly correlationId?: string
  readonly since?: number
  readonly until?: number
  /** The id of the last event of the previous page (newest first). */
  readonly before?: string
  readonly limit: number
}

export interface ListQuery {
  /** A SCIM filter compiled against the columns in scim-columns.ts. */
  readonly where?: RawBuilder<SqlBool>
  readonly offset: number
  readonly limit: number
}

export type AgentState = 'online' | 'offline'

/** An on-premises agent registered with a tenant. */
export interface Agent {
  readonly id: string
  readonly tenantId: string
  readonly host: string
  readonly version: string
  /** SPKI PEM of the Ed25519 key that signs the channel challenge. */
  readonly identityPublicKey: string
  /** SPKI PEM of the RSA key that writeback packages are encrypted for. */
  readonly encryptionPublicKey: string
  readonly keysCreatedAt: number
  readonly registeredAt: number
  readonly lastSeenAt: number | null
  readonly state: AgentState
  /** The tenant node holding the agent's socket, for cross-node dispatch. */
  readonly connectedNode: string | null
  readonly revokedAt: number | null
}

export type NewAgent = Pick<Agent, 'host' | 'version' | 'identityPublicKey' | 'encryptionPublicKey'>

export interface AgentRegistrationToken {
  readonly id: string
  readonly tenantId: string
  readonly createdAt: number
  readonly expiresAt: number
  readonly usedAt: number | null
}

export type SyncRunStatus = 'running' | 'completed' | 'awaiting-delete-confirmation' | 'failed'

/** A user the run would delete, shown in the preview an admin confirms. */
export interface PendingDelete {
  readonly immutableId: string
  readonly userPrincipalName: string
  readonly distinguishedName: string | null
}

/** One import an agent exported to the tenant: what it created, updated and deleted. */
export interface SyncRun {
  readonly id: string
  readonly tenantId: string
  readonly agentId: string
  readonly kind: 'full' | 'delta'
  readonly status: SyncRunStatus
  readonly startedAt: number
  readonly finishedAt: number | null
  readonly created: number
  readonly updated: number
  readonly deleted: number
  readonly failed: number
  readonly pendingDeletes: readonly PendingDelete[]
  /** UPNs created, updated and deleted (the first few hundred), and failures with reasons. */
  readonly details: {
    readonly created: string[]
    readonly updated: string[]
    readonly deleted: string[]
    readonly failed: string[]
  }
}

/** One entry of an agent's event log, as shipped to the tenant. */
export interface StoredAgentEvent {
  readonly agentId: string
  readonly at: number
  /** The reference's event ID, e.g. 31018 or 611. */
  readonly eventId: number
  readonly source: string
  readonly level: string
  readonly message: string
  readonly data: Readonly<Record<string, string | number | boolean | null>>
}

/** One user's password hash sync health as the tenant saw it (the reference's per-object PHS log). */
export interface PasswordHashSyncStatus {
  readonly userId: string
  readonly userPrincipalName: string
  readonly agentId: string
  /** Success, FilteredByTarget, TargetNotExportedToDirectory or Error. */
  readonly result: string
  readonly detail: string | null
  /** When AD set the password (epoch ms); null for a "must change" password. */
  readonly changedAt: number | null
  readonly syncedAt: number
}
