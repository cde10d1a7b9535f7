/** @module Where a lab keeps its files, derived from the lab folder alone. */
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

/** The checkout's root, found from this file so that the CLI works from any working directory. */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..')

/** The folder `lab up` uses when no --dir is given. */
export const defaultLabDir = join(repoRoot, 'var', 'lab')

/** Provisioned domains are cached here by size, so a big benchmark domain is built once per machine. */
export const defaultCacheDir = join(repoRoot, 'var', 'lab-cache')

/** Every path of one lab. Keeping them in one place lets `reset` know exactly what it may delete. */
export interface LabPaths {
  readonly dir: string
  readonly lock: string
  readonly marker: string
  readonly state: string
  readonly info: string
  readonly pidFile: string
  readonly domain: string
  readonly smbConf: string
  readonly samLdb: string
  readonly tls: string
  readonly caCert: string
  readonly caKey: string
  readonly serverCert: string
  readonly serverKey: string
  readonly krb5Conf: string
  readonly log: string
  readonly sambaLog: string
  readonly sambaStdout: string
  readonly run: string
  /** Bind-mounted over /run/samba inside samba's mount namespace: winbindd's socket path is compiled in. */
  readonly runSamba: string
  readonly tmp: string
}

export function labPaths(labDir: string): LabPaths {
  const dir = resolve(labDir)
  const domain = join(dir, 'domain')
  const tls = join(dir, 'tls')
  const log = join(dir, 'log')
  const run = join(dir, 'run')
  return {
    dir,
    lock: `${dir}.lock`,
    marker: join(dir, '.idbridge-lab'),
    state: join(dir, 'state.json'),
    info: join(dir, 'lab.json'),
    pidFile: join(dir, 'samba.pid.json'),
    domain,
    smbConf: join(domain, 'etc', 'smb.conf'),
    samLdb: join(domain, 'private', 'sam.ldb'),
    tls,
    caCert: join(tls, 'ca.pem'),
    caKey: join(tls, 'ca-key.pem'),
    serverCert: join(tls, 'server.pem'),
    serverKey: join(tls, 'server-key.pem'),
    krb5Conf: join(dir, 'krb5.conf'),
    log,
    sambaLog: join(log, 'samba.log'),
    sambaStdout: join(log, 'samba-stdout.log'),
    run,
    runSamba: join(run, 'samba-global'),
    tmp: join(dir, 'tmp'),
  }
}
