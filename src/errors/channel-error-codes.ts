/** @module Error codes of agent registration, agent keys and the outbound agent channel. */
import type { ErrorDefinition } from './error-definition.ts'

export const channelErrorCodes = {
  IDB_ERR_AGENT_OFFLINE: {
    status: 503,
    message: 'The on-premises service is not available right now. Try again later.',
    cause: 'No agent of this tenant is connected to the tenant service, so nothing can reach Active Directory.',
    fix: 'Start an agent with `idbridge agent run`, and check `GET /api/v1/agents` and the agent event log (31034).',
  },
  IDB_ERR_AGENT_TIMEOUT: {
    status: 504,
    message: 'The on-premises service did not answer in time. Try again later.',
    cause:
      'The request reached an agent but no answer came back before the timeout. The agent may still have carried it out.',
    fix: 'Check the agent event log for the request. Retry only with the same idempotency key, never as a new request.',
  },
  IDB_ERR_AGENT_OUTCOME_UNKNOWN: {
    status: 502,
    message: 'We could not confirm whether your request completed. Check before trying again.',
    cause:
      'The connection to the agent was lost after the request was sent, so it may or may not have been carried out.',
    fix: 'Look up the request id in the agent event log. Do not retry blindly: a retry must reuse the idempotency key.',
  },
  IDB_ERR_AGENT_REQUEST_FAILED: {
    status: 502,
    message: 'The on-premises service could not complete the request.',
    cause: 'The agent received the request and its handler failed; the detail carries what the agent reported.',
    fix: 'Read the detail and the agent event log on the agent host.',
  },
  IDB_ERR_AGENT_UNSUPPORTED: {
    status: 501,
    message: 'The on-premises service does not support this operation.',
    cause: 'The agent has no handler for the message type: it is older than the tenant service, or misconfigured.',
    fix: 'Upgrade the agent to the tenant service version (`GET /api/v1/agents` shows each agent version).',
  },
  IDB_ERR_AGENT_UNKNOWN_KEY: {
    status: 401,
    message: 'The agent could not authenticate.',
    cause:
      'The channel handshake named an unknown or revoked agent, or the signature does not match its registered identity key (for example after rotate-keys on another host).',
    fix: 'Register the agent again with a new token (`idbridge agent token create`, then `idbridge agent register`).',
  },
  IDB_ERR_AGENT_HANDSHAKE: {
    status: 400,
    message: 'The agent channel handshake failed.',
    cause: 'The tenant service closed the channel during the handshake: bad frame, wrong origin or a timeout.',
    fix: 'Check that the agent uses the cloud URL it registered with and that both run the same idbridge version.',
  },
  IDB_ERR_AGENT_CONNECT: {
    status: 502,
    message: 'The agent cannot reach the tenant service.',
    cause: 'The TLS or WebSocket connection to the tenant failed: DNS, firewall, proxy, or an untrusted certificate.',
    fix: 'Check outbound HTTPS to the cloud URL; for a private CA pass --ca with the CA certificate file.',
  },
  IDB_ERR_AGENT_KEY_FILE: {
    status: 500,
    message: 'The agent key file is missing or unreadable.',
    cause: 'The key file does not exist, is not valid, or is readable by other users (it must be mode 0600).',
    fix: 'Run `idbridge agent register` (or pass --dir to the folder holding agent-key.json); fix its mode with chmod 600.',
  },
  IDB_ERR_CHANNEL_REPLAY: {
    status: 409,
    message: 'The message was rejected.',
    cause: 'A channel message arrived with an id already seen within its expiry window: a replay or a duplicate send.',
    fix: 'Nothing if it is rare; repeated replays in the log mean something re-sends captured traffic.',
  },
  IDB_ERR_CHANNEL_EXPIRED: {
    status: 410,
    message: 'The message was rejected because it expired.',
    cause:
      'A channel message arrived after its expiresAt, or with an expiry too far ahead. Usually a slow link or an unsynchronised clock.',
    fix: 'Check the agent host clock (NTP) and the network latency to the tenant.',
  },
  IDB_ERR_CHANNEL_INVALID: {
    status: 400,
    message: 'The message was rejected because it is malformed.',
    cause: 'A channel frame did not parse or did not match the protocol schema.',
    fix: 'Run the same idbridge version on the agent and the tenant service.',
  },
  IDB_ERR_CHANNEL_CLOSED: {
    status: 503,
    message: 'The on-premises service is not available right now. Try again later.',
    cause: 'The agent channel is not connected (reconnecting or closed), so the message was not sent.',
    fix: 'Wait for the agent to reconnect; the agent event log shows 31034 while it cannot connect.',
  },
} as const satisfies Record<string, ErrorDefinition>
