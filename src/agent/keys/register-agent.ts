/** @module `agent register`: makes the keys, registers the public halves with the tenant, writes the 0600 key file. */
import { existsSync } from 'node:fs'
import { hostname } from 'node:os'
import { IdbridgeError, type Result } from '../../errors/idbridge-error.ts'
import { REGISTER_PATH, registerResponseSchema } from '../../protocol/registration-messages.ts'
import { agentVersion } from '../channel/agent-version.ts'
import type { AgentEventLog } from '../events/agent-event.ts'
import { keyFilePath, writeAgentKeyFile } from './agent-key-file.ts'
import { generateAgentKeys } from './generate-agent-keys.ts'
import { postJson } from './https-json.ts'
import { publicKeyFingerprint } from './key-fingerprint.ts'
import { keyPairCreatedEvent } from './key-pair-event.ts'

export interface RegisterAgentOptions {
  /** The tenant service's base URL, https only. */
  readonly cloudUrl: string
  readonly token: string
  /** PEM to trust for the cloud URL, and the file it came from (recorded for `agent run`). */
  readonly ca?: { pem: string | Buffer; file: string }
  readonly dir: string
  readonly eventLog: AgentEventLog
  /** Replace a key file that already exists in `dir`. */
  readonly force?: boolean
  readonly host?: string
  readonly version?: string
}

export interface RegisteredAgent {
  readonly agentId: string
  readonly tenantId: string
  readonly keyFile: string
}

export async function registerAgent(options: RegisterAgentOptions): Promise<Result<RegisteredAgent>> {
  const cloud = new URL(options.cloudUrl)
  if (cloud.protocol !== 'https:') {
    return {
      ok: false,
      error: new IdbridgeError('IDB_ERR_INVALID_INPUT', { detail: '--cloud must be an https:// URL' }),
    }
  }
  // Overwriting would orphan an agent the tenant still knows, with no key left to prove who it was.
  if (!options.force && existsSync(keyFilePath(options.dir))) {
    return {
      ok: false,
      error: new IdbridgeError('IDB_ERR_AGENT_KEY_FILE', {
        detail: `${keyFilePath(options.dir)} already exists; use another --dir, or --force to replace it`,
      }),
    }
  }
  const keys = await generateAgentKeys()
  const posted = await postJson(
    new URL(REGISTER_PATH, cloud).toString(),
    {
      token: options.token,
      host: options.host ?? hostname(),
      version: options.version ?? agentVersion,
      identityPublicKey: keys.identityPublicKey,
      encryptionPublicKey: keys.encryptionPublicKey,
    },
    { ca: options.ca?.pem },
  )
  if (!posted.ok) return posted
  const parsed = registerResponseSchema.safeParse(posted.value)
  if (!parsed.success) {
    return {
      ok: false,
      error: new IdbridgeError('IDB_ERR_AGENT_CONNECT', { detail: 'unexpected answer to registration' }),
    }
  }
  const { agentId, tenantId, keysCreatedAt } = parsed.data
  const keyFile = await writeAgentKeyFile(options.dir, {
    format: 'idbridge-agent-key/1',
    agentId,
    tenantId,
    cloudUrl: cloud.origin,
    ...(options.ca ? { caFile: options.ca.file } : {}),
    keysCreatedAt,
    ...keys,
  })
  options.eventLog.write(
    keyPairCreatedEvent({ agentId, fingerprint: publicKeyFingerprint(keys.encryptionPublicKey), reason: 'register' }),
  )
  return { ok: true, value: { agentId, tenantId, keyFile } }
}
