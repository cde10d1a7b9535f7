/** @module What the tenant service's routes need, passed in so tests can build an app around a test store. */
import type { Logger } from 'pino'
import type { IdbridgeConfig } from '../../config/config-schema.ts'
import type { Store } from '../../store/store.ts'
import type { Tenant, User } from '../../store/store-records.ts'
import type { Clock } from '../../time/clock.ts'
import type { MessageSink } from '../../lab/message-sink.ts'
import type { Mailer } from '../notify/mailer.ts'
import type { SmsSender } from '../notify/sms-sender.ts'
import type { PasswordOperationSender } from '../relay/writeback-relay.ts'
import type { Captcha } from '../sspr/captcha.ts'
import type { PasswordService } from '../sspr/password-service.ts'
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
  /** Resets, unlocks and changes, in the tenant or in AD. */
  readonly passwords: PasswordService
  /** How the reset portal checks a person: captcha, mail and SMS for one-time codes. */
  readonly verification: { readonly captcha: Captcha; readonly mailer: Mailer; readonly sms: SmsSender }
  /**
   * Sends a request without a body to every agent of the tenant connected to this node (rotate
   * writeback keys, password hash resync); resolves with how many accepted.
   */
  readonly askOnlineAgents?: (tenantId: string, op: string) => Promise<number>
  /** Lab mode only: where one-time codes land, shown at /lab/messages. */
  readonly labSink?: MessageSink
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
