/** @module The built-in `agent.rotate-keys` message: an agent authenticated with its old key registers new ones. */
import type { Logger } from 'pino'
import { IdbridgeError, type Result } from '../../errors/idbridge-error.ts'
import { rotationText, verifyText } from '../../protocol/handshake-signature.ts'
import { rotateKeysBodySchema } from '../../protocol/registration-messages.ts'
import type { Store } from '../../store/store.ts'
import type { HubSessionInfo } from './hub-session.ts'
import { parseAgentMessage } from './parse-agent-message.ts'

/**
 * The handshake already proved the OLD key over a fresh nonce; the body adds a signature by the
 * NEW key over the same nonce, so nobody can register a key they do not hold.
 */
export function rotateKeysHandler(deps: {
  store: Store
  logger: Logger
  rotated: (agentId: string, exceptSessionId: string) => void
}): (agent: HubSessionInfo, body: unknown) => Promise<Result<unknown>> {
  return async function rotateKeys(agent, body) {
    const parsed = parseAgentMessage(rotateKeysBodySchema, body, 'key rotation')
    if (!parsed.ok) return parsed
    const keys = parsed.value
    const text = rotationText({
      origin: agent.origin,
      agentId: agent.agentId,
      nonce: agent.nonce,
      identityPublicKey: keys.identityPublicKey,
      encryptionPublicKey: keys.encryptionPublicKey,
    })
    if (!verifyText(keys.identityPublicKey, text, keys.newKeySignature)) {
      deps.logger.warn({ agentId: agent.agentId }, 'key rotation refused: no proof of the new identity key')
      return {
        ok: false,
        error: new IdbridgeError('IDB_ERR_AGENT_UNKNOWN_KEY', { detail: 'the new key signature does not verify' }),
      }
    }
    const updated = await deps.store.agents.rotateKeys(agent.tenantId, agent.agentId, {
      identityPublicKey: keys.identityPublicKey,
      encryptionPublicKey: keys.encryptionPublicKey,
    })
    if (!updated)
      return { ok: false, error: new IdbridgeError('IDB_ERR_NOT_FOUND', { detail: `agent ${agent.agentId}` }) }
    deps.logger.info({ agentId: agent.agentId, keysCreatedAt: updated.keysCreatedAt }, 'agent keys rotated')
    // After the response is on its way: other connections still authenticated with the old key must go.
    setImmediate(() => deps.rotated(agent.agentId, agent.sessionId))
    return { ok: true, value: { keysCreatedAt: updated.keysCreatedAt } }
  }
}
