/** @module Starts the agent: its key file, channel, directory connector and sync cycle, from one folder. */
import { readFileSync, statSync } from 'node:fs'
import path from 'node:path'
import { IdbridgeError } from '../errors/idbridge-error.ts'
import { PASSWORD_OPERATION_OP, ROTATE_WRITEBACK_KEYS_OP } from '../protocol/password-operation.ts'
import { SYNC_BATCH_MESSAGE } from '../protocol/sync-batch.ts'
import { systemClock } from '../time/clock.ts'
import { readAgentConfig } from './agent-config.ts'
import { AgentStateFile } from './agent-state-file.ts'
import { WsAgentChannel } from './channel/ws-agent-channel.ts'
import { LdapDirectoryConnector } from './directory/ldap-directory-connector.ts'
import { DirectorySyncLoop, type SyncRunSummary } from './directory-sync-loop.ts'
import { JsonlEventLog } from './events/jsonl-event-log.ts'
import { ShippingEventLog } from './events/shipping-event-log.ts'
import { readAgentKeyFile } from './keys/agent-key-file.ts'
import { rotateKeysOnRequest } from './keys/rotate-on-request.ts'
import type { PasswordHashSyncLoop } from './phs/password-hash-sync-loop.ts'
import { createPasswordHashSync, watchResyncMarker } from './phs/start-password-hash-sync.ts'
import { LdapWritebackDirectory } from './writeback/ldap-writeback-directory.ts'
import { createPasswordOperationHandler } from './writeback/password-operation-handler.ts'

export const AGENT_CONFIG_FILE = 'agent.config.json'
export const AGENT_STATE_FILE = 'sync-state.json'

export interface RunningAgent {
  readonly agentId: string
  readonly channel: WsAgentChannel
  readonly loop: DirectorySyncLoop
  /** Password hash sync, when the config turns it on. */
  readonly phs: PasswordHashSyncLoop | undefined
  /** The first sync cycle, for callers that want to wait for it. */
  readonly firstRun: Promise<SyncRunSummary | undefined>
  stop(): Promise<void>
}

/** A password file readable by others would leak the connector's credentials: refuse it. */
function readSecretFile(file: string): string {
  const mode = statSync(file).mode & 0o077
  if (mode !== 0) {
    throw new IdbridgeError('IDB_ERR_CONFIG_INVALID', { detail: `${file} is readable by other users; chmod 600 it` })
  }
  return readFileSync(file, 'utf8').replace(/\r?\n$/, '')
}

export async function startAgent(dir: string, options: { onlineTimeoutMs?: number } = {}): Promise<RunningAgent> {
  const key = await readAgentKeyFile(dir)
  if (!key.ok) throw key.error
  const config = readAgentConfig(path.join(dir, AGENT_CONFIG_FILE))
  // The folder `agent events` reads and `agent register` writes event 31018 to.
  const eventLog = new ShippingEventLog(new JsonlEventLog({ dir: path.join(dir, 'events') }))
  const state = new AgentStateFile(path.join(dir, AGENT_STATE_FILE))
  const channel = new WsAgentChannel({
    cloudUrl: key.value.cloudUrl,
    ca: key.value.caFile ? readFileSync(key.value.caFile) : undefined,
    loadIdentity: () => readAgentKeyFile(dir),
    eventLog,
  }).start()
  eventLog.ship(channel)
  const directory = config.directory
  const directoryOptions = {
    domainControllers: directory.domainControllers,
    baseDn: directory.baseDn,
    bindDn: directory.bindDn,
    bindPassword: readSecretFile(directory.bindPasswordFile),
    caCert: readFileSync(directory.caCertFile),
    scope: directory.scope,
    eventLog,
  }
  const connector = new LdapDirectoryConnector({
    ...directoryOptions,
    knownAnchors: new Map(Object.entries(state.read().anchors)),
    presenceCheckIntervalMs: config.sync.presenceCheckSeconds * 1000,
  })
  if (config.writeback.enabled) {
    channel.onRequest(ROTATE_WRITEBACK_KEYS_OP, rotateKeysOnRequest({ dir, eventLog }))
    channel.onRequest(
      PASSWORD_OPERATION_OP,
      createPasswordOperationHandler({
        // Read per request: after `agent rotate-keys` the next package opens with the new key, no restart.
        loadKeys: async () => {
          const current = await readAgentKeyFile(dir)
          if (!current.ok) return current
          const { agentId, encryptionPublicKey, encryptionPrivateKey } = current.value
          return { ok: true, value: { agentId, encryptionPublicKey, encryptionPrivateKey } }
        },
        directory: new LdapWritebackDirectory(directoryOptions),
        eventLog,
        settings: config.writeback,
        clock: systemClock,
      }),
    )
  }
  const loop = new DirectorySyncLoop({
    connector,
    state,
    eventLog,
    batchSize: config.sync.batchSize,
    // The first import reads AD while the channel connects, and its batches wait for the channel,
    // so a slow tenant start does not cost a failed run.
    exportReady: channel.whenOnline(options.onlineTimeoutMs ?? 30_000),
    exporter: {
      exportBatch: async (batch) => {
        const sent = await channel.send(SYNC_BATCH_MESSAGE, batch, { timeoutMs: 120_000 })
        // Password hash sync learns of new passwords (a moved pwdLastSet) from what the tenant took.
        if (sent.ok) phs?.noteDirectoryChanges(batch.changes, batch.kind)
        return sent
      },
    },
  })
  const phs = createPasswordHashSync({
    dir,
    config,
    bindPassword: directoryOptions.bindPassword,
    channel,
    directoryState: state,
    eventLog,
    clock: systemClock,
  })
  const stopResyncWatch = phs && watchResyncMarker(dir, phs)
  // At once: while the directory's first import runs, PHS pauses (event 613) but already reads
  // and stretches the hashes, so the initial password sync costs little more than the import.
  phs?.start({ intervalMs: (config.phs?.intervalSeconds ?? 120) * 1000 })
  const firstRun = (async () => {
    await loop.start({ intervalMs: config.sync.deltaIntervalSeconds * 1000, watch: config.sync.watchChanges })
    // The tenant now knows every user's anchor: send now rather than at the next PHS tick.
    void phs?.runOnce()
    const last = state.read().lastRun
    return last ? { runId: last.runId, kind: last.kind, exported: last.exported, failed: last.failed } : undefined
  })()
  return {
    agentId: key.value.agentId,
    channel,
    loop,
    phs,
    firstRun,
    async stop() {
      await firstRun.catch(() => undefined)
      await loop.stop()
      stopResyncWatch?.()
      await phs?.stop()
      await eventLog.stop()
      await channel.close()
      await connector.close()
    },
  }
}
