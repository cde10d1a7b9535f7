/** @module The demo directory the lab seeds: who exists, where, with which password. Pure data. */
import type { LabSeed, LabUser } from './lab-info.ts'
import { labPassword } from './lab-password.ts'

const demoNames: ReadonlyArray<readonly [string, string]> = [
  ['Ada', 'Lovelace'],
  ['Alan', 'Turing'],
  ['Barbara', 'Liskov'],
  ['Charles', 'Babbage'],
  ['Donald', 'Knuth'],
  ['Edsger', 'Dijkstra'],
  ['Frances', 'Allen'],
  ['Grace', 'Hopper'],
  ['Hedy', 'Lamarr'],
  ['Ivan', 'Sutherland'],
  ['John', 'McCarthy'],
  ['Katherine', 'Johnson'],
  ['Ken', 'Thompson'],
  ['Leslie', 'Lamport'],
  ['Margaret', 'Hamilton'],
  ['Niklaus', 'Wirth'],
  ['Radia', 'Perlman'],
  ['Shafi', 'Goldwasser'],
  ['Tim', 'Berners-Lee'],
  ['Whitfield', 'Diffie'],
]

// Of the special users only these are in the SSPR group; the others test what SSPR must refuse.
const specialUsers: ReadonlyArray<readonly [LabUser['role'], string, string, boolean]> = [
  ['locked', 'Larry', 'Locked', true],
  ['neverExpires', 'Nora', 'Neverexpires', true],
  ['cannotChange', 'Carl', 'Cannotchange', true],
  ['mustChange', 'Mona', 'Mustchange', true],
  ['protectedAdmin', 'Paula', 'Protectedadmin', true],
  ['formerAdmin', 'Fred', 'Formeradmin', true],
  ['outOfScope', 'Otto', 'Outofscope', false],
  ['outOfScope', 'Olga', 'Outsider', false],
]

export interface SeedPlanOptions {
  readonly realm: string
  readonly netbiosDomain: string
  readonly minPasswordAgeDays: 0 | 1
  readonly bulkUsers: number
}

/**
 * Describes the seeded directory. The same plan drives the LDIF, the output and the tests.
 *
 * @example
 * const seed = buildSeedPlan({ realm: 'CONTOSO.TEST', netbiosDomain: 'CONTOSO', minPasswordAgeDays: 0, bulkUsers: 0 })
 */
export function buildSeedPlan(options: SeedPlanOptions): LabSeed {
  const dnsDomain = options.realm.toLowerCase()
  const baseDn = dnsDomain
    .split('.')
    .map((part) => `DC=${part}`)
    .join(',')
  const syncOu = `OU=Synced Users,${baseDn}`
  const outOfScopeOu = `OU=Not Synced,${baseDn}`
  const groupsOu = `OU=Groups,${baseDn}`
  const serviceAccountsOu = `OU=Service Accounts,${baseDn}`
  const user = (role: LabUser['role'], givenName: string, sn: string, index: number, sspr: boolean): LabUser => {
    const username = `${givenName}.${sn}`
      .toLowerCase()
      .replace(/[^a-z.-]/g, '')
      .slice(0, 20)
    const inSyncScope = role !== 'outOfScope'
    return {
      role,
      dn: `CN=${givenName} ${sn},${inSyncScope ? syncOu : outOfScopeOu}`,
      username,
      userPrincipalName: `${username}@${dnsDomain}`,
      password: labPassword(),
      givenName,
      sn,
      displayName: `${givenName} ${sn}`,
      mail: `${username}@${dnsDomain}`,
      mobile: `+1 555 01${String(index).padStart(2, '0')}`,
      inSyncScope,
      ssprMember: sspr,
    }
  }
  const demo = demoNames.map(([given, sn], i) => user('demo', given, sn, i, i < 15))
  const special = specialUsers.map(([role, given, sn, sspr], i) => user(role, given, sn, 20 + i, sspr))
  const service = (cn: string, username: string) => ({
    dn: `CN=${cn},${serviceAccountsOu}`,
    username,
    userPrincipalName: `${username}@${dnsDomain}`,
    password: labPassword(24),
  })
  return {
    realm: options.realm,
    netbiosDomain: options.netbiosDomain,
    dnsDomain,
    baseDn,
    dcHostname: `dc1.${dnsDomain}`,
    admin: {
      dn: `CN=Administrator,CN=Users,${baseDn}`,
      username: 'Administrator',
      userPrincipalName: `Administrator@${dnsDomain}`,
      password: labPassword(20),
    },
    connector: {
      ...service('idbridge connector', 'svc-idbridge'),
      rights: connectorRights.full,
      missingRights: [],
    },
    limitedConnector: {
      ...service('idbridge limited connector', 'svc-idbridge-limited'),
      rights: connectorRights.limited,
      missingRights: connectorRights.full.filter((right) => !connectorRights.limited.includes(right)),
    },
    scope: {
      syncOu,
      outOfScopeOu,
      groupsOu,
      serviceAccountsOu,
      benchOu: `OU=Bench,${syncOu}`,
      ssprGroupDn: `CN=SSPR Users,${groupsOu}`,
    },
    policy: {
      complexity: true,
      minLength: 8,
      historyLength: 24,
      minAgeDays: options.minPasswordAgeDays,
      maxAgeDays: 365,
      lockoutThreshold: 5,
      lockoutDurationMinutes: 0,
      lockoutObservationMinutes: 30,
    },
    users: [...demo, ...special],
    bulk: { count: options.bulkUsers, ou: `OU=Bench,${syncOu}`, usernamePrefix: 'bench', password: labPassword() },
  }
}

/** Right names as the product documents them; connector-acl.ts turns them into ACEs. */
export const connectorRights = {
  full: [
    'Reset Password (descendant users)',
    'Change Password (descendant users)',
    'Write lockoutTime (descendant users)',
    'Write pwdLastSet (descendant users)',
    'Unexpire Password',
    'Replicating Directory Changes',
    'Replicating Directory Changes All',
  ],
  limited: ['Change Password (descendant users)', 'Replicating Directory Changes', 'Replicating Directory Changes All'],
}
