/** @module The typed, validated description of a lab that `lab up --json` prints and tests read. */
import { z } from 'zod'

const account = z.object({
  dn: z.string(),
  /** sAMAccountName. */
  username: z.string(),
  userPrincipalName: z.string(),
  password: z.string(),
})

export const labUserRoles = [
  'demo',
  'locked',
  'neverExpires',
  'cannotChange',
  'mustChange',
  'protectedAdmin',
  'formerAdmin',
  'outOfScope',
] as const

const labUser = account.extend({
  role: z.enum(labUserRoles),
  givenName: z.string(),
  sn: z.string(),
  displayName: z.string(),
  mail: z.string(),
  mobile: z.string(),
  inSyncScope: z.boolean(),
  ssprMember: z.boolean(),
})

const connector = account.extend({
  /** The rights granted on the domain root, in the product's documented terms. */
  rights: z.array(z.string()),
  /** What a full connector has and this one lacks: empty for the real connector. */
  missingRights: z.array(z.string()),
})

/** What seeding made: it is stored with a cached domain, so everything here survives a copy. */
export const labSeedSchema = z.object({
  realm: z.string(),
  netbiosDomain: z.string(),
  dnsDomain: z.string(),
  baseDn: z.string(),
  dcHostname: z.string(),
  admin: account,
  connector,
  limitedConnector: connector,
  scope: z.object({
    syncOu: z.string(),
    outOfScopeOu: z.string(),
    groupsOu: z.string(),
    serviceAccountsOu: z.string(),
    benchOu: z.string(),
    ssprGroupDn: z.string(),
  }),
  policy: z.object({
    complexity: z.boolean(),
    minLength: z.number().int(),
    historyLength: z.number().int(),
    minAgeDays: z.number().int(),
    maxAgeDays: z.number().int(),
    lockoutThreshold: z.number().int(),
    /** 0 means until an administrator (or the connector) clears lockoutTime, as in AD. */
    lockoutDurationMinutes: z.number().int(),
    lockoutObservationMinutes: z.number().int(),
  }),
  users: z.array(labUser),
  bulk: z.object({ count: z.number().int(), ou: z.string(), usernamePrefix: z.string(), password: z.string() }),
})

export const labInfoSchema = labSeedSchema.extend({
  version: z.literal(1),
  dir: z.string(),
  address: z.string(),
  ldapUrl: z.string(),
  ldapPlainUrl: z.string(),
  caCertPath: z.string(),
  krb5ConfigPath: z.string(),
  smbConfPath: z.string(),
  samLdbPath: z.string(),
  logPath: z.string(),
  cacheKey: z.string(),
  /** The samba master process; null when the lab is stopped. */
  pid: z.number().int().nullable(),
})

export type LabSeed = z.infer<typeof labSeedSchema>
export type LabInfo = z.infer<typeof labInfoSchema>
export type LabUser = z.infer<typeof labUser>
export type LabAccount = z.infer<typeof account>
