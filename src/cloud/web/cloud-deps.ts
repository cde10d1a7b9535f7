/** @module What the tenant service's routes need, passed in so tests can build an app around a test store. */
import type { Logger } from 'pino'
import type { IdbridgeConfig } from '../../config/config-schema.ts'
import type { Store } from '../../store/store.ts'
import type { Tenant, User } from '../../store/store-records.ts'
import type { Clock } from '../../time/clock.ts'
import type { PasswordOperationSender } from '../relay/writeback-relay.ts'
import type { DirectorySyncIngest } from '../sync/directory-sync-ingest.ts'
import type { UserDirectory } from '../users/user-directory.ts'

export interface CloudDeps {
  readonly store: Store
  readonly clock: Clock
  readonly config: IdbridgeConfig
  readonly logger: Logger
  readonly users: UserDirectory
  readonly sync: DirectorySyncIngest
  /** Password operations for synced users go to AD through this. */
  readonly relay: PasswordOperationSender
}

/** Hono's per-request variables for this service. */
export interface CloudEnv {
  Variables: {
    correlationId: string
    /** Set by the admin bearer middleware, or by the page routes from the URL. */
    tenant: Tenant
    /** Set on pages for a signed-in user. */
    user: User
  }
}
