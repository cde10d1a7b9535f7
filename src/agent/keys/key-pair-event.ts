/** @module Event 31018 KeyPairCreationSuccess, logged when `register` or `rotate-keys` makes new keys. */
import type { AgentEvent } from '../events/agent-event.ts'

/** The reference logs this when the password encryption key is created; the fingerprint lets an admin match it to the tenant. */
export function keyPairCreatedEvent(fields: {
  agentId: string
  fingerprint: string
  reason: 'register' | 'rotate-keys'
}): AgentEvent {
  return {
    id: 31018,
    source: 'PasswordResetService',
    level: 'information',
    message: `KeyPairCreationSuccess: Successfully created the password encryption key pair for agent ${fields.agentId} (${fields.reason}).`,
    data: { agentId: fields.agentId, encryptionKeyFingerprint: fields.fingerprint, reason: fields.reason },
  }
}
