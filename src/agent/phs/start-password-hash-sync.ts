/** @module Builds password hash sync from the agent config: DRS source, channel exporter, state, resync requests. */
import { existsSync, rmSync } from 'node:fs'
import path from 'node:path'
import { IdbridgeError, type Result } from '../../errors/idbridge-error.ts'
import {
  PHS_BATCH_OP,
  PHS_PING_OP,
  PHS_RESYNC_OP,
  type PasswordHashBatchReply,
  passwordHashBatchReplySchema,
} from '../../protocol/password-hash-sync.ts'
import type { Clock } from '../../time/clock.ts'
import type { AgentConfig } from '../agent-config.ts'
import type { AgentStateFile } from '../agent-state-file.ts'
import type { AgentChannel } from '../channel/agent-channel.ts'
import type { AgentEventLog } from '../events/agent-event.ts'
import type { PasswordHashExporter } from './credential-batch-sender.ts'
import { DrsHashSource } from './drs-hash-source.ts'
import type { HashSource } from './hash-source.ts'
import { PasswordHashSyncLoop } from './password-hash-sync-loop.ts'
import { PHS_RESYNC_MARKER, PHS_STATE_FILE } from './phs-files.ts'
import { PhsStateFile } from './phs-state-file.ts'

export interface PasswordHashSyncSetup {
  readonly dir: string
  readonly config: AgentConfig
  readonly bindPassword: string
  readonly channel: AgentChannel
  readonly directoryState: AgentStateFile
  readonly eventLog: AgentEventLog
  readonly clock: Clock
  /** Tests pass a MemoryHashSource; production replicates from the DCs. */
  readonly source?: HashSource
}

/** The exporter over the agent channel: the reply is checked, never trusted blindly. */
export function channelPasswordHashExporter(channel: AgentChannel): PasswordHashExporter {
  return {
    async sendBatch(batch): Promise<Result<PasswordHashBatchReply>> {
      const sent = await channel.send(PHS_BATCH_OP, batch, { timeoutMs: 60_000 })
      if (!sent.ok) return sent
      const reply = passwordHashBatchReplySchema.safeParse(sent.value)
      return reply.success
        ? { ok: true, value: reply.data }
        : { ok: false, error: new IdbridgeError('IDB_ERR_INVALID_INPUT', { detail: 'the tenant sent a malformed password hash batch reply' }) }
    },
    async ping(): Promise<Result<void>> {
      const sent = await channel.send(PHS_PING_OP, {}, { timeoutMs: 30_000 })
      return sent.ok ? { ok: true, value: undefined } : sent
    },
  }
}

/** Undefined when the config has PHS off. The caller starts, feeds and stops the loop. */
export function createPasswordHashSync(setup: PasswordHashSyncSetup): PasswordHashSyncLoop | undefined {
  const phs = setup.config.phs
  if (!phs?.enabled) return undefined
  const directory = setup.config.directory
  const source =
    setup.source ??
    new DrsHashSource({
      domainControllers: phs.domainControllers ?? directory.domainControllers.map((url) => new URL(url).hostname),
      namingContext: directory.baseDn,
      credentials: () => ({ domain: phs.account.domain, username: phs.account.username, password: setup.bindPassword }),
      eventLog: setup.eventLog,
    })
  const loop = new PasswordHashSyncLoop({
    source,
    exporter: channelPasswordHashExporter(setup.channel),
    directory: {
      // The directory sync stores its cookie only after its full import reached the tenant.
      fullSyncCompleted: () => setup.directoryState.read().cookie !== null,
      anchors: () => setup.directoryState.read().anchors,
    },
    state: new PhsStateFile(path.join(setup.dir, PHS_STATE_FILE)),
    eventLog: setup.eventLog,
    clock: setup.clock,
    domain: dnsDomainOf(directory.baseDn),
  })
  setup.channel.onRequest(PHS_RESYNC_OP, async () => {
    loop.requestResync()
    return { ok: true, value: { accepted: true } }
  })
  return loop
}

/**
 * `phs resync --all` drops a marker file, so the CLI needs no connection to the running agent;
 * the agent looks for it every few seconds. Returns a function that stops looking.
 */
export function watchResyncMarker(dir: string, loop: PasswordHashSyncLoop, everyMs = 3_000): () => void {
  const marker = path.join(dir, PHS_RESYNC_MARKER)
  const timer = setInterval(() => {
    if (!existsSync(marker)) return
    rmSync(marker, { force: true })
    loop.requestResync()
  }, everyMs)
  timer.unref()
  return () => clearInterval(timer)
}

/** DC=contoso,DC=test → contoso.test, for the events' domain names. */
export function dnsDomainOf(baseDn: string): string {
  return baseDn
    .split(',')
    .map((part) => part.trim())
    .filter((part) => /^dc=/i.test(part))
    .map((part) => part.slice(3))
    .join('.')
}
