/** @module The lab's own smb.conf and client krb5.conf, rendered from its paths and address. */
import type { LabPaths } from './lab-paths.ts'

export interface DomainNames {
  readonly realm: string
  readonly netbiosDomain: string
  readonly dnsDomain: string
}

/**
 * Every directory Samba would otherwise take from /var/lib/samba or /run/samba points into the
 * lab folder, and every socket binds the lab's address only, so labs never meet.
 *
 * @example
 * await writeFile(paths.smbConf, renderSmbConf(paths, names, '127.0.0.11'))
 */
export function renderSmbConf(paths: LabPaths, names: DomainNames, address: string): string {
  const d = paths.domain
  return `# Written by idbridge lab; regenerated on every start.
[global]
\tnetbios name = DC1
\tworkgroup = ${names.netbiosDomain}
\trealm = ${names.realm}
\tserver role = active directory domain controller
\t# No dns (dns-backend NONE) and no nbt/wrepl: clients are given the address, not a name.
\tserver services = s3fs, rpc, ldap, cldap, kdc, drepl, winbindd, ntp_signd, kcc
\t# IP/mask form: a bare 127.0.0.x that no interface carries would be dropped as unknown.
\tinterfaces = ${address}/8
\tbind interfaces only = yes
\tdisable netbios = yes
\t# AD keeps accepting the previous password over NTLM for 60 minutes; the lab turns that off so a
\t# test sees a reset take effect for every protocol at once.
\told password allowed period = 0
\tprivate dir = ${d}/private
\tlock directory = ${d}
\tstate directory = ${d}/state
\tcache directory = ${d}/cache
\tbinddns dir = ${d}/bind-dns
\tpid directory = ${paths.run}
\tncalrpc dir = ${paths.run}/ncalrpc
\tntp signd socket directory = ${paths.run}/ntp_signd
\tlog file = ${paths.sambaLog}
\tlogging = file
\tmax log size = 10000
\ttls enabled = yes
\ttls keyfile = ${paths.serverKey}
\ttls certfile = ${paths.serverCert}
\ttls cafile = ${paths.caCert}

[sysvol]
\tpath = ${d}/state/sysvol
\tread only = no

[netlogon]
\tpath = ${d}/state/sysvol/${names.dnsDomain}/scripts
\tread only = no
`
}

/** A krb5.conf for clients: KRB5_CONFIG points at it, so the machine's own Kerberos setup is untouched. */
export function renderKrb5Conf(names: DomainNames, address: string): string {
  return `[libdefaults]
\tdefault_realm = ${names.realm}
\tdns_lookup_realm = false
\tdns_lookup_kdc = false
\trdns = false
\tudp_preference_limit = 0

[realms]
\t${names.realm} = {
\t\tkdc = ${address}
\t\tadmin_server = ${address}
\t\tkpasswd_server = ${address}
\t}

[domain_realm]
\t.${names.dnsDomain} = ${names.realm}
\t${names.dnsDomain} = ${names.realm}
`
}
