/** @module The agent event log entries of the channel, with the reference's IDs where one fits (§2.9). */
import type { AgentEvent } from '../events/agent-event.ts'

/** 31034 ServiceBusListenerError: the reference's "cannot connect to the listener" event. */
export function cannotConnectEvent(f: {
  cloudUrl: string
  attempt: number
  retryInMs: number
  error: string
}): AgentEvent {
  return {
    id: 31034,
    source: 'PasswordResetService',
    level: 'error',
    message: `ServiceBusListenerError: Unable to connect to the tenant service at ${f.cloudUrl}: ${f.error}. Retrying in ${Math.round(f.retryInMs / 1000)} s (attempt ${f.attempt}).`,
    data: { cloudUrl: f.cloudUrl, attempt: f.attempt, retryInMs: f.retryInMs, error: f.error },
  }
}

/** 32002 ServiceBusError: the reference's "no security token" case, which for us is a refused signature. */
export function refusedEvent(f: { cloudUrl: string; agentId: string; error: string }): AgentEvent {
  return {
    id: 32002,
    source: 'PasswordResetService',
    level: 'error',
    message: `ServiceBusError: The tenant service at ${f.cloudUrl} refused agent ${f.agentId}: ${f.error}. Register the agent again if its keys were rotated or revoked elsewhere.`,
    data: { cloudUrl: f.cloudUrl, agentId: f.agentId, error: f.error },
  }
}

/** Ours (source idbridge): the reference has no "connected" event, but operators need to see recovery. */
export function connectedEvent(f: { cloudUrl: string; agentId: string; node: string; attempt: number }): AgentEvent {
  return {
    id: 9100,
    source: 'idbridge',
    level: 'information',
    message: `Connected to the tenant service at ${f.cloudUrl} (node ${f.node}) after ${f.attempt} attempt(s).`,
    data: { cloudUrl: f.cloudUrl, agentId: f.agentId, node: f.node, attempt: f.attempt },
  }
}

export function disconnectedEvent(f: { cloudUrl: string; code: number; reason: string }): AgentEvent {
  return {
    id: 9101,
    source: 'idbridge',
    level: 'warning',
    message: `Disconnected from the tenant service at ${f.cloudUrl} (code ${f.code}${f.reason ? `, ${f.reason}` : ''}); reconnecting.`,
    data: { cloudUrl: f.cloudUrl, code: f.code, reason: f.reason },
  }
}

/** Ours: the skew is tolerated, because every expiry is on the tenant's clock, but the host clock needs fixing. */
export function clockSkewEvent(f: { cloudUrl: string; skewMs: number }): AgentEvent {
  const seconds = Math.round(f.skewMs / 1000)
  return {
    id: 9102,
    source: 'idbridge',
    level: 'warning',
    message: `The agent's clock is ${Math.abs(seconds)} s ${seconds > 0 ? 'ahead of' : 'behind'} the tenant service at ${f.cloudUrl}. Requests still work, because their expiries are measured on the tenant's clock; fix the host's time synchronisation (NTP), since Kerberos and certificate checks against AD do not tolerate the skew.`,
    data: { cloudUrl: f.cloudUrl, skewSeconds: seconds },
  }
}

/** 32003 InPutValidationError: a replayed, expired or malformed frame that the agent refused to act on. */
export function rejectedFrameEvent(f: { reason: string; frameId: string | null; type: string | null }): AgentEvent {
  return {
    id: 32003,
    source: 'PasswordResetService',
    level: 'warning',
    message: `InPutValidationError: Rejected a channel message (${f.reason}), id ${f.frameId ?? 'unknown'}, type ${f.type ?? 'unknown'}.`,
    data: { reason: f.reason, frameId: f.frameId, type: f.type },
  }
}
