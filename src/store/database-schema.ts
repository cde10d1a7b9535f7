/** @module Table shapes as Kysely sees them. Booleans are 0/1 and times are epoch ms on both backends. */
export interface TenantTable {
  id: string
  name: string
  display_name: string
  domain: string
  settings: string
  created_at: number
}

export interface UserTable {
  id: string
  tenant_id: string
  user_principal_name: string
  /** Unique per tenant, so that UPNs compare case-insensitively on both backends. */
  upn_key: string
  given_name: string | null
  surname: string | null
  display_name: string | null
  mail: string | null
  mobile: string | null
  account_enabled: number
  roles: string
  password_policies: string
  licenses: string
  immutable_id: string | null
  on_prem_dn: string | null
  on_prem_sam: string | null
  on_prem_sync_enabled: number
  on_prem_state: string | null
  sessions_valid_from: number
  version: number
  created_at: number
  updated_at: number
}

export interface CredentialTable {
  tenant_id: string
  user_id: string
  verifier: string
  must_change: number
  updated_at: number
}

export interface GroupTable {
  id: string
  tenant_id: string
  display_name: string
  name_key: string
  description: string | null
  immutable_id: string | null
  on_prem_sync_enabled: number
  version: number
  created_at: number
  updated_at: number
}

export interface GroupMemberTable {
  tenant_id: string
  group_id: string
  user_id: string
}

export interface SessionTable {
  id_hash: string
  tenant_id: string
  user_id: string
  created_at: number
  expires_at: number
}

export interface AdminTokenTable {
  id: string
  tenant_id: string
  token_hash: string
  name: string
  created_at: number
  expires_at: number | null
  revoked_at: number | null
}

export interface SignInLockoutTable {
  tenant_id: string
  user_id: string
  failures: number
  lock_level: number
  locked_until: number
  recent_bad: string
  updated_at: number
}

export interface AuditEventTable {
  id: string
  tenant_id: string
  at: number
  activity: string
  service: string
  category: string
  actor: string
  target: string | null
  result: string
  failure_reason: string | null
  correlation_id: string
  details: string
}

export interface AgentTable {
  id: string
  tenant_id: string
  host: string
  version: string
  identity_public_key: string
  encryption_public_key: string
  keys_created_at: number
  registered_at: number
  last_seen_at: number | null
  state: string
  connected_node: string | null
  revoked_at: number | null
}

export interface AgentRegistrationTokenTable {
  id: string
  tenant_id: string
  token_hash: string
  created_at: number
  expires_at: number
  used_at: number | null
  used_by_agent_id: string | null
}

export interface SyncRunTable {
  id: string
  tenant_id: string
  agent_id: string
  kind: string
  status: string
  started_at: number
  finished_at: number | null
  created: number
  updated: number
  deleted: number
  failed: number
  pending_deletes: string
  details: string
}

export interface SyncRunAnchorTable {
  run_id: string
  immutable_id: string
}

export interface AgentEventTable {
  id: string
  tenant_id: string
  agent_id: string
  at: number
  event_id: number
  source: string
  level: string
  message: string
  data: string
}

export interface SecurityInfoTable {
  user_id: string
  tenant_id: string
  methods: string
  updated_at: number
}

export interface SsprFlowTable {
  id_hash: string
  tenant_id: string
  state: string
  version: number
  expires_at: number
}

export interface SsprThrottleTable {
  tenant_id: string
  subject_key: string
  attempts: string
  blocked_until: number | null
}

export interface PasswordHashSyncTable {
  user_id: string
  tenant_id: string
  agent_id: string
  result: string
  detail: string | null
  changed_at: number | null
  synced_at: number
}

export interface WritebackRequestTable {
  id: string
  tenant_id: string
  agent_id: string
  node: string
  operation: string
  envelope: string | null
  status: string
  result: string | null
  created_at: number
  expires_at: number
}

export interface Database {
  tenants: TenantTable
  users: UserTable
  credentials: CredentialTable
  groups: GroupTable
  group_members: GroupMemberTable
  sessions: SessionTable
  admin_tokens: AdminTokenTable
  sign_in_lockouts: SignInLockoutTable
  audit_events: AuditEventTable
  agents: AgentTable
  agent_registration_tokens: AgentRegistrationTokenTable
  sync_runs: SyncRunTable
  sync_run_anchors: SyncRunAnchorTable
  agent_events: AgentEventTable
  security_info: SecurityInfoTable
  sspr_flows: SsprFlowTable
  sspr_throttles: SsprThrottleTable
  writeback_requests: WritebackRequestTable
  password_hash_sync: PasswordHashSyncTable
}
