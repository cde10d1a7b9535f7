/** @module A user's effective AD password policy, and how AD's FILETIME intervals read as it. */

/** The rules AD checks a new password against; from the domain root or the resultant PSO. */
export interface PasswordPolicy {
  readonly minLength: number
  readonly complexity: boolean
  /** 0 = a password may be changed again at once. */
  readonly minAgeSeconds: number
  readonly historyLength: number
  /**
   * Where the values came from. `domain-fallback` means a PSO applies but the connector may not
   * read it (Samba, and AD by default, hide PSO attributes from non-admins), so the guess may be off.
   */
  readonly source: 'domain' | 'pso' | 'domain-fallback'
  /** The PSO DN when one applies, even if unreadable. */
  readonly psoDn: string | null
}

/** pwdProperties bit DOMAIN_PASSWORD_COMPLEX. */
export const DOMAIN_PASSWORD_COMPLEX = 0x1

/**
 * AD stores minPwdAge and msDS-MinimumPasswordAge as negative 100 ns intervals (`-864000000000`
 * is one day); `-9223372036854775808` means "never". Returns whole seconds, never negative.
 */
export function intervalSeconds(value: string | null): number {
  if (value === null || !/^-?\d+$/.test(value)) return 0
  const ticks = BigInt(value)
  const magnitude = ticks < 0n ? -ticks : ticks
  if (magnitude >= 9_223_372_036_854_775_807n) return Number.MAX_SAFE_INTEGER
  return Number(magnitude / 10_000_000n)
}

function integer(value: string | null, fallback = 0): number {
  return value !== null && /^-?\d+$/.test(value) ? Number(value) : fallback
}

/** The domain root's policy attributes as the connector reads them. */
export interface DomainPolicyAttributes {
  readonly minPwdLength: string | null
  readonly pwdProperties: string | null
  readonly minPwdAge: string | null
  readonly pwdHistoryLength: string | null
}

export function domainPolicy(attrs: DomainPolicyAttributes): PasswordPolicy {
  return {
    minLength: integer(attrs.minPwdLength),
    complexity: (integer(attrs.pwdProperties) & DOMAIN_PASSWORD_COMPLEX) !== 0,
    minAgeSeconds: intervalSeconds(attrs.minPwdAge),
    historyLength: integer(attrs.pwdHistoryLength),
    source: 'domain',
    psoDn: null,
  }
}

/** A PSO's attributes; all null when the connector may not read them. */
export interface PsoAttributes {
  readonly minimumPasswordLength: string | null
  readonly complexityEnabled: string | null
  readonly minimumPasswordAge: string | null
  readonly historyLength: string | null
}

/** The PSO's policy, or the domain's marked `domain-fallback` when the PSO's values are hidden. */
export function psoPolicy(psoDn: string, pso: PsoAttributes, domain: PasswordPolicy): PasswordPolicy {
  if (pso.minimumPasswordLength === null && pso.complexityEnabled === null && pso.minimumPasswordAge === null) {
    return { ...domain, source: 'domain-fallback', psoDn }
  }
  return {
    minLength: integer(pso.minimumPasswordLength, domain.minLength),
    complexity: pso.complexityEnabled === null ? domain.complexity : pso.complexityEnabled.toUpperCase() === 'TRUE',
    minAgeSeconds: pso.minimumPasswordAge === null ? domain.minAgeSeconds : intervalSeconds(pso.minimumPasswordAge),
    historyLength: integer(pso.historyLength, domain.historyLength),
    source: 'pso',
    psoDn,
  }
}
