/** @module Test support: a tenant app on a throwaway store, with helpers to act as a browser or an admin. */
import { Writable } from 'node:stream'
import { configSchema } from '../../config/config-schema.ts'
import type { Store } from '../../store/store.ts'
import type { Tenant } from '../../store/store-records.ts'
import type { StoreBackend } from '../../store/store-test-backends.ts'
import { storeBackends } from '../../store/store-test-backends.ts'
import { ManualClock } from '../../time/clock.ts'
import { createAdminToken } from '../auth/admin-tokens.ts'
import { createTenantWithAdmin } from '../bootstrap-tenant.ts'
import { createLogger } from '../create-logger.ts'
import { MemoryMailer } from '../notify/memory-mailer.ts'
import { MemorySmsSender } from '../notify/memory-sms-sender.ts'
import { RecordingCaptcha } from '../sspr/recording-captcha.ts'
import { PasswordService } from '../sspr/password-service.ts'
import { ScriptedPasswordOperations } from '../relay/scripted-password-operations.ts'
import type { PasswordOperationSender } from '../relay/writeback-relay.ts'
import { DirectorySyncIngest } from '../sync/directory-sync-ingest.ts'
import { UserDirectory } from '../users/user-directory.ts'
import type { CloudDeps } from './cloud-deps.ts'
import { createCloudApp } from './create-cloud-app.tsx'

export const ORIGIN = 'https://idbridge.test'

export interface TestCloud {
  readonly app: ReturnType<typeof createCloudApp>
  readonly deps: CloudDeps
  readonly store: Store
  readonly clock: ManualClock
  readonly tenant: Tenant
  readonly token: string
  /** What reached "AD": scripted answers instead of an agent. */
  readonly relay: ScriptedPasswordOperations
  /** The captcha answers, mails and texts the portal produced. */
  readonly verification: { captcha: RecordingCaptcha; mailer: MemoryMailer; sms: MemorySmsSender }
  /** Everything the app logged, as text. */
  logs(): string
  /** Another tenant with its own admin token. */
  otherTenant(name: string): Promise<{ tenant: Tenant; token: string }>
  /** Calls the admin API as this tenant's admin. */
  api(path: string, init?: RequestInit & { json?: unknown; token?: string }): Promise<Response>
  dispose(): Promise<void>
}

/** What a test may swap in. */
export interface TestCloudOptions {
  /** Where password operations of synced users go instead of the scripted fake (`relay` then sees none). */
  readonly passwordOperations?: PasswordOperationSender
}

export async function createTestCloud(
  backend: StoreBackend = storeBackends[0]!,
  options: TestCloudOptions = {},
): Promise<TestCloud> {
  const clock = new ManualClock(Date.UTC(2026, 10, 1))
  const { store, dispose } = await backend.open(clock)
  let logText = ''
  const sink = new Writable({
    write(chunk, _enc, done) {
      logText += chunk.toString()
      done()
    },
  })
  const config = configSchema.parse({ http: { maxBodyBytes: 64 * 1024 } })
  // The service's own logger, redaction included, so that what tests read is what operators get.
  const logger = createLogger({ level: 'debug', destination: sink })
  const users = new UserDirectory(store, clock)
  const sync = new DirectorySyncIngest({ store, clock, users }, { deleteThreshold: config.sync.deleteThreshold })
  const relay = new ScriptedPasswordOperations()
  const sender = options.passwordOperations ?? relay
  const passwords = new PasswordService({ store, clock, relay: sender, waitMs: 5000, logger })
  const verification = { captcha: new RecordingCaptcha(), mailer: new MemoryMailer(), sms: new MemorySmsSender() }
  const deps: CloudDeps = { store, clock, config, logger, users, sync, relay: sender, passwords, verification }
  const app = createCloudApp(deps)
  const { tenant, firstAdmin } = await createTenantWithAdmin(store, clock, config.tenant)
  const api = (path: string, init: RequestInit & { json?: unknown; token?: string } = {}) => {
    const headers = new Headers(init.headers)
    headers.set('authorization', `Bearer ${init.token ?? firstAdmin.apiToken}`)
    if (init.json !== undefined) headers.set('content-type', 'application/scim+json')
    const body = init.json !== undefined ? JSON.stringify(init.json) : init.body
    return Promise.resolve(app.request(`${ORIGIN}${path}`, { ...init, headers, body }))
  }
  return {
    app,
    deps,
    store,
    clock,
    tenant,
    token: firstAdmin.apiToken,
    relay,
    verification,
    logs: () => logText,
    api,
    async otherTenant(name) {
      const created = await createTenantWithAdmin(store, clock, { name, displayName: name, domain: `${name}.test` })
      const { token } = await createAdminToken(store, clock, { tenantId: created.tenant.id, name: 'test' })
      return { tenant: created.tenant, token }
    },
    dispose,
  }
}
