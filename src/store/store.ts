/** @module The storage seam of the tenant service. Every method is scoped to one tenant. */
import type { Result } from '../errors/idbridge-error.ts'
import type {
  AdminToken,
  Agent,
  AgentRegistrationToken,
  AgentState,
  AuditEvent,
  AuditQuery,
  Credential,
  Group,
  ListQuery,
  NewAgent,
  StoredAgentEvent,
  NewAuditEvent,
  NewGroup,
  NewUser,
  PasswordHashSyncStatus,
  Session,
  SignInLockout,
  SyncRun,
  Tenant,
  User,
  UserChanges,
} from './store-records.ts'
import type { SecurityInfo, SsprFlowRecord, SsprThrottle, WritebackRequest } from './sspr-records.ts'
import type { TenantSettings } from './tenant-settings.ts'

/** Tenants are the one thing looked up without a tenant id. */
export interface TenantRepository {
  create(
    tenant: Pick<Tenant, 'name' | 'displayName' | 'domain'> & { settings?: Partial<TenantSettings> },
  ): Promise<Result<Tenant>>
  get(id: string): Promise<Tenant | undefined>
  getByName(name: string): Promise<Tenant | undefined>
  list(): Promise<Tenant[]>
  updateSettings(id: string, settings: TenantSettings): Promise<Tenant | undefined>
}

export interface UserRepository {
  /** Fails with IDB_ERR_CONFLICT when the UPN (case-insensitive) or immutableId is taken. */
  create(tenantId: string, user: NewUser): Promise<Result<User>>
  get(tenantId: string, id: string): Promise<User | undefined>
  getByUserPrincipalName(tenantId: string, upn: string): Promise<User | undefined>
  getByImmutableId(tenantId: string, immutableId: string): Promise<User | undefined>
  /** The users among these immutableIds that exist; for sync, which looks up a batch at once. */
  listByImmutableIds(tenantId: string, immutableIds: readonly string[]): Promise<User[]>
  /** The users among these UPNs (case-insensitive) that exist. */
  listByUserPrincipalNames(tenantId: string, upns: readonly string[]): Promise<User[]>
  /** Inserts many users at once; one whose UPN or immutableId is taken is skipped and returned in `conflicts`. */
  createMany(tenantId: string, users: readonly NewUser[]): Promise<{ created: User[]; conflicts: NewUser[] }>
  /** With `ifVersion`, fails with IDB_ERR_PRECONDITION_FAILED when the user changed meanwhile. */
  update(tenantId: string, id: string, changes: UserChanges, options?: { ifVersion?: number }): Promise<Result<User>>
  /**
   * The same changes to many users in one statement, each version bumped; ids of other tenants'
   * users are left alone. Returns how many users changed. For bulk work such as password hash sync.
   */
  updateMany(tenantId: string, ids: readonly string[], changes: UserChanges): Promise<number>
  /** Moves "sessions valid from" forward, revoking every earlier session. */
  revokeSessions(tenantId: string, id: string, at: number): Promise<User | undefined>
  delete(tenantId: string, id: string): Promise<boolean>
  list(tenantId: string, query: ListQuery): Promise<{ total: number; users: User[] }>
}

export interface GroupRepository {
  create(tenantId: string, group: NewGroup): Promise<Result<Group>>
  get(tenantId: string, id: string): Promise<Group | undefined>
  update(
    tenantId: string,
    id: string,
    changes: Partial<NewGroup>,
    options?: { ifVersion?: number },
  ): Promise<Result<Group>>
  delete(tenantId: string, id: string): Promise<boolean>
  list(tenantId: string, query: ListQuery): Promise<{ total: number; groups: Group[] }>
  /** Replaces the member list; ids of other tenants' users fail with IDB_ERR_INVALID_INPUT. */
  setMembers(tenantId: string, groupId: string, userIds: readonly string[]): Promise<Result<void>>
  listMembers(tenantId: string, groupId: string): Promise<User[]>
  listGroupsOfUser(tenantId: string, userId: string): Promise<Group[]>
  getByImmutableId(tenantId: string, immutableId: string): Promise<Group | undefined>
  /** Sets which synced groups the user is in, leaving cloud groups alone. */
  setSyncedGroupsOfUser(tenantId: string, userId: string, groupIds: readonly string[]): Promise<void>
  /** The groups among these immutableIds that exist. */
  listByImmutableIds(tenantId: string, immutableIds: readonly string[]): Promise<Group[]>
  /** Inserts many groups at once; one whose name is taken is skipped and returned in `conflicts`. */
  createMany(tenantId: string, groups: readonly NewGroup[]): Promise<{ created: Group[]; conflicts: NewGroup[] }>
  /**
   * setSyncedGroupsOfUser for many users, writing only the memberships that change; `newUserIds`
   * (users created in the same transaction) are known to have none yet.
   */
  setSyncedGroupsOfUsers(
    tenantId: string,
    groupIdsByUser: ReadonlyMap<string, readonly string[]>,
    newUserIds?: ReadonlySet<string>,
  ): Promise<void>
}

export interface CredentialRepository {
  get(tenantId: string, userId: string): Promise<Credential | undefined>
  set(tenantId: string, userId: string, credential: Omit<Credential, 'updatedAt'>): Promise<void>
  /** Many users' verifiers in one statement, as password hash sync stores a batch. */
  setMany(tenantId: string, credentials: readonly ({ userId: string } & Omit<Credential, 'updatedAt'>)[]): Promise<void>
}

export interface SessionRepository {
  create(session: Session): Promise<void>
  get(idHash: string): Promise<Session | undefined>
  delete(idHash: string): Promise<void>
}

export interface AdminTokenRepository {
  create(token: AdminToken): Promise<void>
  getByHash(tokenHash: string): Promise<AdminToken | undefined>
  list(tenantId: string): Promise<AdminToken[]>
  revoke(tenantId: string, id: string, at: number): Promise<boolean>
}

export interface SignInLockoutRepository {
  get(tenantId: string, userId: string): Promise<SignInLockout | undefined>
  put(tenantId: string, userId: string, state: SignInLockout): Promise<void>
}

export interface AuditRepository {
  append(event: NewAuditEvent): Promise<AuditEvent>
  /** Appends in order, in as few statements as the backend allows. */
  appendMany(events: readonly NewAuditEvent[]): Promise<void>
  /** Newest first. */
  list(tenantId: string, query: AuditQuery): Promise<AuditEvent[]>
}

export interface AgentRepository {
  createRegistrationToken(tenantId: string, tokenHash: string, expiresAt: number): Promise<AgentRegistrationToken>
  /**
   * Consumes a one-time token and registers the agent in the token's tenant. A used, expired or
   * unknown token fails with IDB_ERR_AGENT_REGISTRATION_TOKEN.
   */
  register(tokenHash: string, agent: NewAgent): Promise<Result<Agent>>
  /** By id alone: the channel handshake learns the tenant from the agent record. */
  get(id: string): Promise<Agent | undefined>
  list(tenantId: string): Promise<Agent[]>
  rotateKeys(
    tenantId: string,
    id: string,
    keys: Pick<Agent, 'identityPublicKey' | 'encryptionPublicKey'>,
  ): Promise<Agent | undefined>
  markSeen(id: string, seen: { state: AgentState; node: string | null; host?: string; version?: string }): Promise<void>
  revoke(tenantId: string, id: string): Promise<boolean>
}

export interface SyncRunRepository {
  /** Inserts or replaces the run. */
  save(run: SyncRun): Promise<void>
  get(tenantId: string, id: string): Promise<SyncRun | undefined>
  /** Newest first. */
  list(tenantId: string, limit: number): Promise<SyncRun[]>
  /** Records anchors a full run exported, so its end can find users AD no longer has. */
  addAnchors(runId: string, immutableIds: readonly string[]): Promise<void>
  /** Synced users of the tenant whose anchor the run did not export. */
  syncedUsersNotSeen(tenantId: string, runId: string): Promise<User[]>
  dropAnchors(runId: string): Promise<void>
}

export interface AgentEventRepository {
  append(tenantId: string, events: readonly StoredAgentEvent[]): Promise<void>
  /** Newest first. */
  list(tenantId: string, query: { agentId?: string; eventId?: number; since?: number; limit: number }): Promise<StoredAgentEvent[]>
}

/** The SSPR methods a user registered. */
export interface SecurityInfoRepository {
  get(tenantId: string, userId: string): Promise<SecurityInfo | undefined>
  put(tenantId: string, userId: string, info: SecurityInfo): Promise<void>
}

/** Reset flows in progress; an expired flow reads as absent. */
export interface SsprFlowRepository {
  create(flow: Omit<SsprFlowRecord, 'version'>): Promise<SsprFlowRecord>
  get(tenantId: string, idHash: string, now: number): Promise<SsprFlowRecord | undefined>
  /** Fails with IDB_ERR_PRECONDITION_FAILED when another request moved the flow on first. */
  update(flow: SsprFlowRecord, state: unknown): Promise<Result<SsprFlowRecord>>
  delete(idHash: string): Promise<void>
  deleteExpired(now: number): Promise<number>
}

/** SSPR attempts per user ID, for the 5-an-hour, blocked-for-24-hours rule. */
export interface SsprThrottleRepository {
  get(tenantId: string, subjectKey: string): Promise<SsprThrottle | undefined>
  put(tenantId: string, subjectKey: string, throttle: SsprThrottle): Promise<void>
}

/** The relay's requests: sealed for one agent, routed to the node holding its socket. */
/** What the tenant last took from password hash sync per user; `phs status` and the admin API read it. */
export interface PasswordHashSyncRepository {
  /** Upserts one row per user: the newest result replaces the last. */
  record(tenantId: string, statuses: readonly Omit<PasswordHashSyncStatus, 'userPrincipalName'>[]): Promise<void>
  get(tenantId: string, userId: string): Promise<PasswordHashSyncStatus | undefined>
  /** Ordered by userPrincipalName. */
  list(tenantId: string, query: { limit: number; offset: number }): Promise<{ total: number; items: PasswordHashSyncStatus[] }>
}

export interface WritebackRequestRepository {
  create(request: WritebackRequest): Promise<void>
  get(id: string): Promise<WritebackRequest | undefined>
  /** Moves a pending request of `node` to dispatched; only one caller ever gets it back. */
  claim(id: string, node: string, now: number): Promise<WritebackRequest | undefined>
  /** Stores the result and drops the ciphertext. */
  complete(id: string, result: string): Promise<void>
  delete(id: string): Promise<void>
  deleteExpired(now: number): Promise<number>
}

/** How the store sees itself, for `idbridge doctor`: counts and the schema version, never a row. */
export interface StoreHealth {
  /** The newest migration the database has run, e.g. `0006_password_hash_sync`. */
  readonly migration: string | null
  readonly migrationsApplied: number
  /** The newest migration this build knows; differs from `migration` only while a start-up migrates. */
  readonly latestMigration: string | null
  readonly tenants: number
  /** Rows per table for one tenant. */
  readonly counts: Readonly<Record<string, number>>
}

export interface StoreHealthRepository {
  describe(tenantId: string): Promise<StoreHealth>
}

/**
 * Everything the tenant service keeps. One implementation over Kysely serves SQLite (embedded,
 * and in-memory for tests) and PostgreSQL (several stateless tenant nodes); a contract suite
 * runs against both.
 */
export interface Store {
  readonly tenants: TenantRepository
  readonly users: UserRepository
  readonly groups: GroupRepository
  readonly credentials: CredentialRepository
  readonly sessions: SessionRepository
  readonly adminTokens: AdminTokenRepository
  readonly lockouts: SignInLockoutRepository
  readonly audit: AuditRepository
  readonly agents: AgentRepository
  readonly syncRuns: SyncRunRepository
  readonly agentEvents: AgentEventRepository
  readonly securityInfo: SecurityInfoRepository
  readonly ssprFlows: SsprFlowRepository
  readonly ssprThrottles: SsprThrottleRepository
  readonly writebackRequests: WritebackRequestRepository
  readonly passwordHashSync: PasswordHashSyncRepository
  readonly health: StoreHealthRepository
  /** Runs `work` atomically: if it throws or returns a failed Result, nothing it wrote stays. */
  transaction<T>(work: (store: Store) => Promise<Result<T>>): Promise<Result<T>>
  /** Safe to log. */
  readonly label: string
  close(): Promise<void>
}
