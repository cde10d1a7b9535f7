/** @module Seeds a provisioned, stopped lab domain: policy, OUs, users, connector rights, SDProp emulation. */
import { cannotChangePasswordAces, connectorAces, limitedConnectorAces } from './connector-acl.ts'
import type { LabSeed, LabUser } from './lab-info.ts'
import type { LabPaths } from './lab-paths.ts'
import { applyLdif } from './ldb-apply.ts'
import { ldbSearch } from './ldb-search.ts'
import { protectedDescriptor } from './protected-dacl.ts'
import { runCommand } from './run-command.ts'
import { membershipLdif, protectionLdif, structureLdif, usersLdif } from './seed-ldif.ts'

/**
 * Seeds through the local sam.ldb while samba is stopped: Samba's own module stack still checks
 * the schema and hashes the passwords, but nothing goes over the network. Safe to run again on a
 * seeded domain: it adds what is missing and sets passwords, flags and ACLs to the plan.
 *
 * @example
 * await seedDirectory(labPaths('var/lab'), buildSeedPlan({ ... }))
 */
export async function seedDirectory(paths: LabPaths, seed: LabSeed): Promise<void> {
  const samLdb = paths.samLdb
  const target = { samLdb, tmpDir: paths.tmp }
  const samba = ['-H', samLdb, '-s', paths.smbConf]
  const p = seed.policy
  await runCommand('samba-tool', [
    'domain',
    'passwordsettings',
    'set',
    ...samba,
    `--complexity=${p.complexity ? 'on' : 'off'}`,
    `--min-pwd-length=${p.minLength}`,
    `--history-length=${p.historyLength}`,
    `--min-pwd-age=${p.minAgeDays}`,
    `--max-pwd-age=${p.maxAgeDays}`,
    `--account-lockout-threshold=${p.lockoutThreshold}`,
    `--account-lockout-duration=${p.lockoutDurationMinutes}`,
    `--reset-account-lockout-after=${p.lockoutObservationMinutes}`,
  ])

  const existing = await existingDns(samLdb, seed.baseDn)
  await applyLdif(target, 'ldbmodify', structureLdif(seed, existing))

  // Delegate on the root before users exist, so Samba computes each user's inherited ACL once.
  const connectorSid = await readOne(samLdb, seed.connector.dn, 'objectSid')
  const limitedSid = await readOne(samLdb, seed.limitedConnector.dn, 'objectSid')
  const rootAces = [...connectorAces(connectorSid), ...limitedConnectorAces(limitedSid)].join('')
  await runCommand('samba-tool', ['dsacl', 'set', ...samba, '--objectdn', seed.baseDn, '--sddl', rootAces])

  await applyLdif(target, 'ldbmodify', usersLdif(seed, existing))
  const domainAdmins = `CN=Domain Admins,CN=Users,${seed.baseDn}`
  const daMembers = new Set((await readAll(samLdb, domainAdmins, 'member')).map((dn) => dn.toLowerCase()))
  const newUsers = new Set(seed.users.map((u) => u.dn.toLowerCase()).filter((dn) => !existing.has(dn)))
  await applyLdif(target, 'ldbmodify', membershipLdif(seed, daMembers, newUsers))

  // SDProp emulation: AdminSDHolder itself is protected in AD, then copied to every protected account.
  const holder = `CN=AdminSDHolder,CN=System,${seed.baseDn}`
  const descriptor = protectedDescriptor(await readOne(samLdb, holder, 'nTSecurityDescriptor'))
  const protectedDns = [seed.admin.dn, userOf(seed, 'protectedAdmin').dn, userOf(seed, 'formerAdmin').dn]
  await applyLdif(
    target,
    'ldbmodify',
    `dn: ${holder}\nchangetype: modify\nreplace: nTSecurityDescriptor\nnTSecurityDescriptor: ${descriptor}\n-\n\n${protectionLdif(protectedDns, descriptor)}`,
  )

  const cannotChange = userOf(seed, 'cannotChange').dn
  await runCommand('samba-tool', [
    'dsacl',
    'set',
    ...samba,
    '--objectdn',
    cannotChange,
    '--sddl',
    cannotChangePasswordAces().join(''),
  ])
}

function userOf(seed: LabSeed, role: LabUser['role']): LabUser {
  return seed.users.find((u) => u.role === role)!
}

async function existingDns(samLdb: string, baseDn: string): Promise<Set<string>> {
  const filter = '(|(objectClass=organizationalUnit)(objectClass=user)(objectClass=group))'
  const records = await ldbSearch(samLdb, baseDn, 'sub', filter, ['dn'])
  return new Set(records.map((r) => r.get('dn')![0]!.toLowerCase()))
}

async function readAll(samLdb: string, dn: string, attribute: string): Promise<string[]> {
  const [record] = await ldbSearch(samLdb, dn, 'base', '(objectClass=*)', [attribute])
  return record?.get(attribute) ?? []
}

async function readOne(samLdb: string, dn: string, attribute: string): Promise<string> {
  const [value] = await readAll(samLdb, dn, attribute)
  if (value === undefined) throw new Error(`${dn} has no ${attribute}`)
  return value
}
