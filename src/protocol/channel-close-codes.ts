/** @module WebSocket close codes of the agent channel, so both ends and the logs name the same reasons. */

/**
 * 1008 is the standard "policy violation": the tenant refused who the agent claims to be. The
 * 4xxx codes are ours; the agent reconnects after all of them except {@link REFUSED_CLOSE_CODES}.
 */
export const closeCodes = {
  normal: 1000,
  goingAway: 1001,
  policy: 1008,
  protocolError: 4400,
  handshakeTimeout: 4408,
  silence: 4410,
  replaced: 4409,
  keysRotated: 4411,
} as const

/** After these the agent keeps retrying with backoff but logs an authentication failure, not a network one. */
export const REFUSED_CLOSE_CODES: ReadonlySet<number> = new Set([closeCodes.policy])
