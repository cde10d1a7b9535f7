/** @module The human-readable `lab up` and `lab status` output. */
import type { LabInfo } from './lab-info.ts'

/**
 * Everything a person needs to point idbridge (or ldapsearch, kinit, smbclient) at the lab.
 *
 * @example
 * process.stdout.write(formatLabInfo(await labUp()))
 */
export function formatLabInfo(info: LabInfo): string {
  const pad = (label: string) => `${label}:`.padEnd(22)
  const account = (label: string, a: { dn: string; userPrincipalName: string; password: string }) =>
    `${pad(label)}${a.dn}\n${' '.repeat(22)}${a.userPrincipalName}  password ${a.password}`
  const lines = [
    `${pad('Lab')}${info.dir} (${info.pid ? `samba pid ${info.pid}` : 'stopped'})`,
    `${pad('LDAP URL')}${info.ldapUrl}   (plain: ${info.ldapPlainUrl})`,
    `${pad('Base DN')}${info.baseDn}`,
    `${pad('Realm')}${info.realm} (NetBIOS ${info.netbiosDomain}), KDC ${info.address}`,
    `${pad('CA certificate')}${info.caCertPath}`,
    `${pad('krb5.conf')}${info.krb5ConfigPath}`,
    account('Admin', info.admin),
    account('Connector', info.connector),
    account('Limited connector', info.limitedConnector),
    `${pad('  lacks')}${info.limitedConnector.missingRights.join(', ')}`,
    `${pad('Sync scope')}${info.scope.syncOu}`,
    `${pad('Out of scope')}${info.scope.outOfScopeOu}`,
    `${pad('SSPR group')}${info.scope.ssprGroupDn}`,
    `${pad('Password policy')}complexity, min length ${info.policy.minLength}, history ${info.policy.historyLength}, min age ${info.policy.minAgeDays} d, lockout after ${info.policy.lockoutThreshold} bad passwords`,
  ]
  if (info.bulk.count > 0) {
    lines.push(`${pad('Bulk users')}${info.bulk.count} in ${info.bulk.ou}, all with password ${info.bulk.password}`)
  }
  lines.push('', 'Users (sAMAccountName, role, password):')
  for (const user of info.users) {
    const flags = [user.role, user.inSyncScope ? '' : 'out of scope', user.ssprMember ? 'SSPR' : ''].filter(Boolean)
    lines.push(`  ${user.username.padEnd(22)}${flags.join(', ').padEnd(30)}${user.password}`)
  }
  return `${lines.join('\n')}\n`
}
