/** @module The Store over Kysely, for SQLite and PostgreSQL alike. */
import type { Kysely } from 'kysely'
import type { Result } from '../errors/idbridge-error.ts'
import { type Clock, systemClock } from '../time/clock.ts'
import type { Database } from './database-schema.ts'
import { KyselyAdminTokenRepository } from './kysely-admin-token-repository.ts'
import { KyselyAgentEventRepository } from './kysely-agent-event-repository.ts'
import { KyselyAgentRepository } from './kysely-agent-repository.ts'
import { KyselyAuditRepository } from './kysely-audit-repository.ts'
import { KyselyCredentialRepository } from './kysely-credential-repository.ts'
import { KyselyGroupRepository } from './kysely-group-repository.ts'
import { KyselyLockoutRepository } from './kysely-lockout-repository.ts'
import { KyselySessionRepository } from './kysely-session-repository.ts'
import {
  KyselySecurityInfoRepository,
  KyselySsprFlowRepository,
  KyselySsprThrottleRepository,
} from './kysely-sspr-repositories.ts'
import { KyselySyncRunRepository } from './kysely-sync-run-repository.ts'
import { KyselyTenantRepository } from './kysely-tenant-repository.ts'
import { KyselyUserRepository } from './kysely-user-repository.ts'
import { KyselyPasswordHashSyncRepository } from './kysely-password-hash-sync-repository.ts'
import { KyselyStoreHealthRepository } from './kysely-store-health-repository.ts'
import { KyselyWritebackRequestRepository } from './kysely-writeback-request-repository.ts'
import { type DatabaseTarget, openDatabase } from './open-database.ts'
import type { Store } from './store.ts'

export class KyselyStore implements Store {
  readonly tenants: KyselyTenantRepository
  readonly users: KyselyUserRepository
  readonly groups: KyselyGroupRepository
  readonly credentials: KyselyCredentialRepository
  readonly sessions: KyselySessionRepository
  readonly adminTokens: KyselyAdminTokenRepository
  readonly lockouts: KyselyLockoutRepository
  readonly audit: KyselyAuditRepository
  readonly agents: KyselyAgentRepository
  readonly syncRuns: KyselySyncRunRepository
  readonly agentEvents: KyselyAgentEventRepository
  readonly securityInfo: KyselySecurityInfoRepository
  readonly ssprFlows: KyselySsprFlowRepository
  readonly ssprThrottles: KyselySsprThrottleRepository
  readonly writebackRequests: KyselyWritebackRequestRepository
  readonly passwordHashSync: KyselyPasswordHashSyncRepository
  readonly health: KyselyStoreHealthRepository
  readonly label: string
  readonly #db: Kysely<Database>
  readonly #clock: Clock

  constructor(db: Kysely<Database>, options: { label: string; clock?: Clock }) {
    const clock = options.clock ?? systemClock
    this.#db = db
    this.#clock = clock
    this.label = options.label
    this.tenants = new KyselyTenantRepository(db, clock)
    this.users = new KyselyUserRepository(db, clock)
    this.groups = new KyselyGroupRepository(db, clock)
    this.credentials = new KyselyCredentialRepository(db, clock)
    this.sessions = new KyselySessionRepository(db)
    this.adminTokens = new KyselyAdminTokenRepository(db)
    this.lockouts = new KyselyLockoutRepository(db)
    this.audit = new KyselyAuditRepository(db, clock)
    this.agents = new KyselyAgentRepository(db, clock)
    this.syncRuns = new KyselySyncRunRepository(db)
    this.agentEvents = new KyselyAgentEventRepository(db)
    this.securityInfo = new KyselySecurityInfoRepository(db)
    this.ssprFlows = new KyselySsprFlowRepository(db)
    this.ssprThrottles = new KyselySsprThrottleRepository(db)
    this.writebackRequests = new KyselyWritebackRequestRepository(db)
    this.passwordHashSync = new KyselyPasswordHashSyncRepository(db)
    this.health = new KyselyStoreHealthRepository(db)
  }

  async transaction<T>(work: (store: Store) => Promise<Result<T>>): Promise<Result<T>> {
    // Nested calls join the outer transaction: its caller decides whether everything stays.
    if (this.#db.isTransaction) return work(this)
    const trx = await this.#db.startTransaction().execute()
    let result: Result<T>
    try {
      result = await work(new KyselyStore(trx, { label: this.label, clock: this.#clock }))
      if (result.ok) await trx.commit().execute()
    } catch (error) {
      // SQLite ends the transaction itself on SQLITE_FULL and I/O errors, so ROLLBACK then fails
      // with "no transaction is active"; that must not hide why the write failed.
      await trx.rollback().execute().catch(() => {})
      throw error
    }
    if (!result.ok) await trx.rollback().execute()
    return result
  }

  async close(): Promise<void> {
    await this.#db.destroy()
  }
}

/** Opens the database, migrates it and wraps it as a Store. */
export async function openStore(target: DatabaseTarget, clock: Clock = systemClock): Promise<Store> {
  const opened = await openDatabase(target)
  return new KyselyStore(opened.db, { label: opened.label, clock })
}
