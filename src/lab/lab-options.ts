/** @module The options of `lab up`, with defaults and validation. */
import { isIPv4 } from 'node:net'
import { IdbridgeError } from '../errors/idbridge-error.ts'
import { defaultCacheDir, defaultLabDir } from './lab-paths.ts'

export interface LabOptions {
  /** The lab folder; default var/lab under the checkout. */
  readonly dir?: string
  /** The loopback address the DC binds to, alone. */
  readonly address?: string
  /** Extra benchmark users on top of the seeded demo directory. */
  readonly users?: number
  /** Minimum password age 1 day instead of 0, for policy-violation tests. */
  readonly minPasswordAgeOneDay?: boolean
  /** Where provisioned domains are cached; `false` provisions from scratch and caches nothing. */
  readonly cacheDir?: string | false
  /** How long to wait for LDAPS after starting samba. */
  readonly startTimeoutMs?: number
  /** Progress lines for a person; the CLI sends them to stderr so --json stays clean. */
  readonly log?: (line: string) => void
}

export interface ResolvedLabOptions {
  readonly dir: string
  readonly address: string
  readonly users: number
  readonly minPasswordAgeDays: 0 | 1
  readonly cacheDir: string | false
  readonly startTimeoutMs: number
  readonly log: (line: string) => void
}

/** 127.0.0.1 is left alone because ordinary services listen on it; every lab gets an address of its own. */
export const defaultLabAddress = '127.0.0.11'

export function resolveLabOptions(options: LabOptions = {}): ResolvedLabOptions {
  const address = options.address ?? defaultLabAddress
  if (!isIPv4(address) || !address.startsWith('127.') || address === '127.0.0.1' || address.endsWith('.255')) {
    throw new IdbridgeError('IDB_ERR_LAB_ADDRESS_INVALID', { detail: `--address ${address}` })
  }
  const users = options.users ?? 0
  if (!Number.isInteger(users) || users < 0 || users > 200_000) {
    throw new Error(`users must be an integer from 0 to 200000, got ${users}`)
  }
  return {
    dir: options.dir ?? defaultLabDir,
    address,
    users,
    minPasswordAgeDays: options.minPasswordAgeOneDay ? 1 : 0,
    cacheDir: options.cacheDir ?? defaultCacheDir,
    startTimeoutMs: options.startTimeoutMs ?? 60_000,
    log: options.log ?? (() => {}),
  }
}
