/** @module Jittered exponential backoff for reconnects, so agents do not stampede a tenant that just restarted. */

export interface BackoffOptions {
  readonly initialMs: number
  /** The cap; the issue asks for about 30 s. */
  readonly maxMs: number
}

export const defaultBackoff: BackoffOptions = { initialMs: 500, maxMs: 30_000 }

/** "Equal jitter": half the exponential delay is fixed, half random, so waits grow but never sync up. */
export function backoffDelay(attempt: number, options: BackoffOptions, random: () => number = Math.random): number {
  const exponential = Math.min(options.maxMs, options.initialMs * 2 ** Math.max(0, attempt - 1))
  return Math.round(exponential / 2 + random() * (exponential / 2))
}
