/** @module Records of self-service password reset and the writeback relay, as the Store returns them. */

/** One TOTP authenticator registration; the last accepted step stops a code being used twice. */
export interface TotpRegistration {
  readonly secret: string
  readonly lastStep: number | null
}

/** The verification methods a user registered for SSPR (Entra's "security info"). */
export interface SecurityInfo {
  readonly email: string | null
  readonly phone: string | null
  readonly totp: TotpRegistration | null
  /** Question ids with scrypt hashes of the normalised answers. */
  readonly questions: readonly { readonly id: string; readonly answerHash: string }[]
  readonly updatedAt: number
}

/** A reset flow in progress, found by the digest of the browser's flow cookie. `state` is the flow's own JSON. */
export interface SsprFlowRecord {
  readonly idHash: string
  readonly tenantId: string
  readonly state: unknown
  readonly version: number
  readonly expiresAt: number
}

/** Attempts of one user ID within the throttling window. */
export interface SsprThrottle {
  readonly attempts: readonly number[]
  readonly blockedUntil: number | null
}

export type WritebackStatus = 'pending' | 'dispatched' | 'done'

/**
 * A password operation on its way to an agent. `envelope` is ciphertext sealed for that agent and
 * is cleared as soon as the request ends; `result` is the agent's answer, without any secret.
 */
export interface WritebackRequest {
  readonly id: string
  readonly tenantId: string
  readonly agentId: string
  /** The tenant node whose hub holds the agent's socket. */
  readonly node: string
  readonly operation: string
  readonly envelope: string | null
  readonly status: WritebackStatus
  readonly result: string | null
  readonly createdAt: number
  readonly expiresAt: number
}
