/** @module The LDIF that seeds the demo directory, built from the seed plan. Pure, so it is unit-tested. */
import type { LabSeed, LabUser } from './lab-info.ts'
import { ldifAdd, ldifModify, unicodePwdLine } from './ldif.ts'

const UF_NORMAL_ACCOUNT = 0x200
const UF_DONT_EXPIRE_PASSWD = 0x10000

const descriptions: Record<LabUser['role'], string> = {
  demo: 'idbridge lab demo user',
  locked: 'idbridge lab: locked out by bad passwords',
  neverExpires: 'idbridge lab: password never expires',
  cannotChange: 'idbridge lab: user cannot change password',
  mustChange: 'idbridge lab: must change password at next logon',
  protectedAdmin: 'idbridge lab: Domain Admins member, protected by emulated SDProp',
  formerAdmin: 'idbridge lab: removed from Domain Admins, protected ACL left behind',
  outOfScope: 'idbridge lab: outside the sync scope',
}

/** OUs, the SSPR group and the two connector accounts: what the ACLs and users hang from. */
export function structureLdif(seed: LabSeed, existing: ReadonlySet<string>): string {
  const s = seed.scope
  const records = [
    ...[s.syncOu, s.outOfScopeOu, s.groupsOu, s.serviceAccountsOu].map((dn) =>
      ldifAdd(dn, { objectClass: 'organizationalUnit' }),
    ),
    ldifAdd(s.ssprGroupDn, {
      objectClass: 'group',
      sAMAccountName: 'SSPR Users',
      description: 'idbridge lab: members may use self-service password reset',
    }),
  ]
  const accounts = [seed.connector, seed.limitedConnector].map((account) =>
    existing.has(account.dn.toLowerCase())
      ? ldifModify(account.dn, [unicodePwdLine(account.password)])
      : withPassword(
          ldifAdd(account.dn, {
            objectClass: 'user',
            sAMAccountName: account.username,
            userPrincipalName: account.userPrincipalName,
            description: 'idbridge lab: directory connector service account',
            userAccountControl: UF_NORMAL_ACCOUNT | UF_DONT_EXPIRE_PASSWD,
          }),
          account.password,
        ),
  )
  return [...records.filter((r) => !existing.has(dnOf(r))), ...accounts].join('')
}

/** The demo and special users, with their passwords; existing users only get their password again. */
export function usersLdif(seed: LabSeed, existing: ReadonlySet<string>): string {
  return seed.users
    .map((user) => {
      if (existing.has(user.dn.toLowerCase())) return ldifModify(user.dn, [unicodePwdLine(user.password)])
      const uac = UF_NORMAL_ACCOUNT | (user.role === 'neverExpires' ? UF_DONT_EXPIRE_PASSWD : 0)
      return withPassword(
        ldifAdd(user.dn, {
          objectClass: 'user',
          sAMAccountName: user.username,
          userPrincipalName: user.userPrincipalName,
          givenName: user.givenName,
          sn: user.sn,
          displayName: user.displayName,
          mail: user.mail,
          mobile: user.mobile,
          description: descriptions[user.role],
          userAccountControl: uac,
        }),
        user.password,
      )
    })
    .join('')
}

/** Group membership and the flags that must be set after the password (pwdLastSet=0 would be overwritten). */
export function membershipLdif(seed: LabSeed, domainAdminMembers: ReadonlySet<string>, newUsers: ReadonlySet<string>) {
  const byRole = (role: LabUser['role']) => seed.users.find((u) => u.role === role)!
  const domainAdmins = `CN=Domain Admins,CN=Users,${seed.baseDn}`
  const admin = byRole('protectedAdmin')
  const former = byRole('formerAdmin')
  const records = [
    ldifModify(seed.scope.ssprGroupDn, [
      ['replace', 'member', seed.users.filter((u) => u.ssprMember).map((u) => u.dn)],
    ]),
    ldifModify(byRole('mustChange').dn, [['replace', 'pwdLastSet', [0]]]),
    ldifModify(seed.admin.dn, [unicodePwdLine(seed.admin.password)]),
  ]
  if (!domainAdminMembers.has(admin.dn.toLowerCase())) {
    records.push(ldifModify(domainAdmins, [['add', 'member', [admin.dn]]]))
  }
  // A former admin really was one: added, then removed, as an admin would have done in AD.
  if (newUsers.has(former.dn.toLowerCase())) {
    records.push(ldifModify(domainAdmins, [['add', 'member', [former.dn]]]))
    records.push(ldifModify(domainAdmins, [['delete', 'member', [former.dn]]]))
  }
  return records.join('')
}

/** adminCount=1 and the protected descriptor, which is all SDProp leaves on an account. */
export function protectionLdif(dns: readonly string[], descriptor: string): string {
  return dns
    .map((dn) =>
      ldifModify(dn, [
        ['replace', 'nTSecurityDescriptor', [descriptor]],
        ['replace', 'adminCount', [1]],
      ]),
    )
    .join('')
}

function withPassword(addRecord: string, password: string): string {
  return `${addRecord.trimEnd()}\n${unicodePwdLine(password)}\n\n`
}

function dnOf(record: string): string {
  const first = record.split('\n')[0]!
  return (
    first.startsWith('dn:: ') ? Buffer.from(first.slice(5), 'base64').toString('utf8') : first.slice(4)
  ).toLowerCase()
}
