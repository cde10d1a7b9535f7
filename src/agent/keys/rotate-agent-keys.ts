/** @module `agent rotate-keys`: proves the old identity key in a handshake, registers new keys, swaps the key file. */
import { readFile, rm } from 'node:fs/promises'
import { hostname } from 'node:os'
import path from 'node:path'
import { IdbridgeError, type Result } from '../../errors/idbridge-error.ts'
import { failure } from '../../protocol/frame-results.ts'
import { rotationText, signText } from '../../protocol/handshake-signature.ts'
import { ROTATE_KEYS_OP } from '../../protocol/registration-messages.ts'
import { ReplayGuard } from '../../protocol/replay-guard.ts'
import { type Clock, systemClock } from '../../time/clock.ts'
import { openAgentSession } from '../channel/agent-session.ts'
import { agentVersion } from '../channel/agent-version.ts'
import { rejectedFrameEvent } from '../channel/channel-events.ts'
import type { AgentEventLog } from '../events/agent-event.ts'
import { keyFilePath, NEXT_KEY_FILE_NAME, readAgentKeyFile, writeAgentKeyFile } from './agent-key-file.ts'
import { generateAgentKeys } from './generate-agent-keys.ts'
import { publicKeyFingerprint } from './key-fingerprint.ts'
import { keyPairCreatedEvent } from './key-pair-event.ts'

export interface RotateAgentKeysOptions {
  readonly dir: string
  readonly eventLog: AgentEventLog
  readonly clock?: Clock
  /** Overrides the CA file recorded in the key file. */
  readonly ca?: string | Buffer
  readonly timeoutMs?: number
}

export async function rotateAgentKeys(
  options: RotateAgentKeysOptions,
): Promise<Result<{ agentId: string; keyFile: string; keysCreatedAt: number }>> {
  const current = await readAgentKeyFile(options.dir)
  if (!current.ok) return current
  const file = current.value
  const ca = options.ca ?? (file.caFile ? await readFile(file.caFile) : undefined)
  const opened = await openAgentSession({
    cloudUrl: file.cloudUrl,
    ca,
    identity: file,
    host: hostname(),
    version: agentVersion,
    // A control connection does not take requests away from a running agent, nor change its state.
    purpose: 'control',
    clock: options.clock ?? systemClock,
    handshakeTimeoutMs: 10_000,
    heartbeatMs: 5_000,
    messageTtlMs: 30_000,
    replayGuard: new ReplayGuard({ maxTtlMs: 10 * 60_000 }),
    onRequest: async () => failure('IDB_ERR_AGENT_UNSUPPORTED', 'a rotate-keys connection carries no requests'),
    onRejected: (info) => options.eventLog.write(rejectedFrameEvent(info)),
  })
  if (!opened.ok) return opened
  const session = opened.value
  const keys = await generateAgentKeys()
  // Kept on disk before the tenant learns the new keys: if the answer is lost, the keys are not.
  const next = await writeAgentKeyFile(options.dir, { ...file, ...keys }, NEXT_KEY_FILE_NAME)
  const newKeySignature = signText(
    keys.identityPrivateKey,
    rotationText({ origin: session.origin, agentId: file.agentId, nonce: session.nonce, ...keys }),
  )
  const sent = await session.frames.send(
    ROTATE_KEYS_OP,
    { identityPublicKey: keys.identityPublicKey, encryptionPublicKey: keys.encryptionPublicKey, newKeySignature },
    options.timeoutMs ?? 30_000,
  )
  session.frames.close()
  if (!sent.ok) {
    const unknown = sent.error.code === 'IDB_ERR_AGENT_OUTCOME_UNKNOWN' || sent.error.code === 'IDB_ERR_AGENT_TIMEOUT'
    if (!unknown) {
      await rm(next, { force: true })
      return sent
    }
    const detail = `${sent.error.detail}. The tenant may hold the new keys: they are in ${next}. If the agent is now refused, move that file over ${keyFilePath(options.dir)}.`
    return { ok: false, error: new IdbridgeError(sent.error.code, { detail }) }
  }
  const keysCreatedAt = (sent.value as { keysCreatedAt?: number }).keysCreatedAt ?? Date.now()
  const keyFile = await writeAgentKeyFile(options.dir, { ...file, ...keys, keysCreatedAt })
  await rm(path.join(options.dir, NEXT_KEY_FILE_NAME), { force: true })
  options.eventLog.write(
    keyPairCreatedEvent({
      agentId: file.agentId,
      fingerprint: publicKeyFingerprint(keys.encryptionPublicKey),
      reason: 'rotate-keys',
    }),
  )
  return { ok: true, value: { agentId: file.agentId, keyFile, keysCreatedAt } }
}
