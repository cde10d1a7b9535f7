/** @module Starts the tenant service: config, store, default tenant, TLS and the HTTPS listener. */
import { createServer } from 'node:https'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import { serve } from '@hono/node-server'
import type { Logger } from 'pino'
import type { LoadedConfig } from '../config/load-config.ts'
import { IdbridgeError } from '../errors/idbridge-error.ts'
import { AGENT_EVENTS_MESSAGE } from '../protocol/agent-events-batch.ts'
import { PHS_BATCH_OP, PHS_PING_OP } from '../protocol/password-hash-sync.ts'
import { SYNC_BATCH_MESSAGE } from '../protocol/sync-batch.ts'
import { openStore } from '../store/kysely-store.ts'
import type { Store } from '../store/store.ts'
import type { Tenant } from '../store/store-records.ts'
import { storeTarget } from '../store/store-target.ts'
import { type Clock, systemClock } from '../time/clock.ts'
import { agentEventsHandler } from './agents/agent-events-handler.ts'
import { AgentHub, type AgentHubOptions } from './agents/agent-hub.ts'
import { type CreatedTenant, ensureDefaultTenant } from './bootstrap-tenant.ts'
import { createLogger } from './create-logger.ts'
import { startHousekeeping } from './housekeeping.ts'
import { DirectorySyncIngest } from './sync/directory-sync-ingest.ts'
import { syncBatchHandler } from './sync/sync-batch-handler.ts'
import { passwordHashBatchHandler, passwordHashPingHandler } from './phs/password-hash-handlers.ts'
import { PasswordHashIngest } from './phs/password-hash-ingest.ts'
import { type MessageSink, startMessageSink } from '../lab/message-sink.ts'
import { configuredSenders } from './notify/configured-senders.ts'
import { PgWakeUps } from './relay/pg-wake-ups.ts'
import { LocalWakeUps, type WakeUps } from './relay/wake-ups.ts'
import { WritebackRelay } from './relay/writeback-relay.ts'
import { type Captcha, SvgCaptcha } from './sspr/captcha.ts'
import { PasswordService } from './sspr/password-service.ts'
import { loadTlsMaterial } from './tls-material.ts'
import { UserDirectory } from './users/user-directory.ts'
import { createCloudApp } from './web/create-cloud-app.tsx'

export interface RunningCloud {
  readonly url: string
  readonly tenant: Tenant
  /** Present only on the start that created the default tenant. */
  readonly created: CreatedTenant | undefined
  readonly certFile: string
  readonly store: Store
  readonly logger: Logger
  /** The agent channel at wss://…/agent/connect. */
  readonly agents: AgentHub
  /** Carries password operations to an agent of the tenant, through whichever node holds its socket. */
  readonly relay: WritebackRelay
  /** Lab mode: the SMTP and SMS sinks that receive one-time codes. */
  readonly labSink: MessageSink | undefined
  close(): Promise<void>
}

export async function startCloud(
  loaded: LoadedConfig,
  options: {
    clock?: Clock
    logFile?: string
    agentHub?: Pick<AgentHubOptions, 'silenceTimeoutMs' | 'handshakeTimeoutMs' | 'nodeId'>
    /** Browser tests pass a captcha whose answers they can read. */
    captcha?: Captcha
  } = {},
): Promise<RunningCloud> {
  const { config, dataDir } = loaded
  const clock = options.clock ?? systemClock
  const logger = createLogger({
    level: config.log.level,
    file: options.logFile ?? path.join(dataDir, 'logs', 'cloud.log'),
  })
  const target = storeTarget(loaded)
  const store = await openStore(target, clock)
  let wakeUps: WakeUps | undefined
  let labSink: MessageSink | undefined
  try {
    labSink = config.sspr.labSinks ? await startMessageSink({ host: '127.0.0.1' }) : undefined
    wakeUps =
      target.kind === 'postgres'
        ? await new PgWakeUps({ url: target.url, schema: target.schema, logger }).start()
        : new LocalWakeUps()
    const { tenant, created } = await ensureDefaultTenant(store, clock, config)
    const tls = await loadTlsMaterial({
      dataDir,
      certFile: config.http.tls.certFile,
      keyFile: config.http.tls.keyFile,
      hostnames: ['localhost', '127.0.0.1', '::1', ...(config.http.host === '0.0.0.0' ? [] : [config.http.host])],
    })
    const users = new UserDirectory(store, clock)
    const sync = new DirectorySyncIngest({ store, clock, users }, { deleteThreshold: config.sync.deleteThreshold })
    const agents = new AgentHub({ store, clock, logger, ...options.agentHub })
    const relay = new WritebackRelay({ store, hub: agents, wakeUps, clock, logger })
    const passwords = new PasswordService({ store, clock, relay, waitMs: config.sspr.resultWaitSeconds * 1000, logger })
    const verification = { captcha: options.captcha ?? new SvgCaptcha(), ...configuredSenders(config, labSink) }
    const askOnlineAgents = async (tenantId: string, op: string) => {
      const asked = agents.online(tenantId).map((agent) => agents.requestAgent(agent.agentId, op, {}, { timeoutMs: 10_000 }))
      return (await Promise.all(asked)).filter((r) => r.ok).length
    }
    const app = createCloudApp({
      store,
      clock,
      config,
      logger,
      users,
      sync,
      relay,
      passwords,
      verification,
      labSink,
      askOnlineAgents,
    })
    const server = serve({
      fetch: app.fetch,
      hostname: config.http.host,
      port: config.http.port,
      createServer,
      serverOptions: { cert: tls.cert, key: tls.key, minVersion: 'TLSv1.2' },
    })
    await new Promise<void>((resolve, reject) => {
      server.once('listening', resolve)
      server.once('error', (cause: NodeJS.ErrnoException) =>
        reject(
          cause.code === 'EADDRINUSE' || cause.code === 'EACCES' || cause.code === 'EADDRNOTAVAIL'
            ? new IdbridgeError('IDB_ERR_CONFIG_INVALID', {
                detail: `http.host/http.port: cannot listen on ${config.http.host}:${config.http.port} (${cause.code}); choose a free port with IDBRIDGE_HTTP_PORT`,
                cause,
              })
            : cause,
        ),
      )
    })
    const address = server.address() as AddressInfo
    const host = address.family === 'IPv6' ? `[${address.address}]` : address.address
    const url = config.http.publicUrl?.replace(/\/$/, '') ?? `https://${host}:${address.port}`
    // Agents sign the origin they connect to; accept the public URL, or every name the certificate covers.
    const origins = config.http.publicUrl
      ? [new URL(url).origin]
      : ['localhost', '127.0.0.1', '[::1]', host].map((name) => `https://${name}:${address.port}`)
    agents.allowOrigins(origins)
    const housekeeping = startHousekeeping(store, clock, logger)
    server.on('upgrade', (req, socket, head) => agents.handleUpgrade(req, socket, head))
    agents.onMessage(SYNC_BATCH_MESSAGE, syncBatchHandler(store, sync))
    agents.onMessage(PHS_BATCH_OP, passwordHashBatchHandler(store, new PasswordHashIngest({ store, clock })))
    agents.onMessage(PHS_PING_OP, passwordHashPingHandler(store))
    agents.onMessage(AGENT_EVENTS_MESSAGE, agentEventsHandler(store))
    logger.info({ url, store: store.label }, 'tenant service listening')
    return {
      url,
      tenant,
      created,
      certFile: tls.certFile,
      store,
      logger,
      agents,
      relay,
      labSink,
      async close() {
        housekeeping.stop()
        await relay.close()
        await agents.close()
        await new Promise<void>((resolve) => server.close(() => resolve()))
        await wakeUps?.close()
        await labSink?.close()
        await store.close()
        logger.flush()
      },
    }
  } catch (error) {
    await labSink?.close()
    await wakeUps?.close()
    await store.close()
    throw error
  }
}
