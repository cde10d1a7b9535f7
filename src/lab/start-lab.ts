/** @module Starts a provisioned lab: config files, a free-port check, samba, LDAPS, the real lockout. */
import { access, writeFile } from 'node:fs/promises'
import { IdbridgeError } from '../errors/idbridge-error.ts'
import { renderKrb5Conf } from './lab-config-files.ts'
import type { LabInfo, LabSeed } from './lab-info.ts'
import type { ResolvedLabOptions } from './lab-options.ts'
import type { LabPaths } from './lab-paths.ts'
import type { LabState } from './lab-state.ts'
import { writeLabState } from './lab-state.ts'
import { lockOutUser } from './lock-out-user.ts'
import { takenPorts } from './port-check.ts'
import { writeLabSmbConf } from './provision-domain.ts'
import { startSamba, stopSamba } from './samba-process.ts'
import { createTlsCertificates } from './tls-certificates.ts'
import { waitForLdaps } from './wait-for-ldaps.ts'

/** The LabInfo of a lab folder, with pid null until samba runs. */
export function describeLab(paths: LabPaths, seed: LabSeed, state: LabState): LabInfo {
  return {
    ...seed,
    version: 1,
    dir: paths.dir,
    address: state.address,
    ldapUrl: `ldaps://${state.address}:636`,
    ldapPlainUrl: `ldap://${state.address}:389`,
    caCertPath: paths.caCert,
    krb5ConfigPath: paths.krb5Conf,
    smbConfPath: paths.smbConf,
    samLdbPath: paths.samLdb,
    logPath: paths.sambaLog,
    cacheKey: state.cacheKey,
    pid: null,
  }
}

/**
 * Starts samba for a stopped lab and returns its LabInfo with the pid. Whatever goes wrong after
 * samba was spawned, the processes are stopped again before the error is thrown.
 *
 * @example
 * const info = await startLab(paths, seed, state, options)
 */
export async function startLab(
  paths: LabPaths,
  seed: LabSeed,
  state: LabState,
  options: ResolvedLabOptions,
): Promise<LabInfo> {
  const names = { realm: seed.realm, netbiosDomain: seed.netbiosDomain, dnsDomain: seed.dnsDomain }
  await writeLabSmbConf(paths, names, state.address)
  if (!(await exists(paths.serverCert))) await createTlsCertificates(paths, state.address, seed.dcHostname)
  await writeFile(paths.krb5Conf, renderKrb5Conf(names, state.address))
  const info = describeLab(paths, seed, state)
  await writeFile(paths.info, `${JSON.stringify(info, null, 2)}\n`, { mode: 0o600 })

  await assertPortsFree(state.address)
  const started = Date.now()
  const { pid } = await startSamba(paths)
  try {
    await waitForLdaps(paths, pid, info, seed.admin, options.startTimeoutMs)
    options.log(`samba ${pid} answers LDAPS on ${info.ldapUrl} after ${((Date.now() - started) / 1000).toFixed(1)} s`)
    if (state.phase !== 'ready') {
      await lockOutUser(info, seed)
      await writeLabState(paths, { ...state, phase: 'ready' })
    }
  } catch (error) {
    await stopSamba(paths).catch(() => {})
    throw error
  }
  const running = { ...info, pid }
  await writeFile(paths.info, `${JSON.stringify(running, null, 2)}\n`, { mode: 0o600 })
  return running
}

/** Fails with IDB_ERR_LAB_PORT_IN_USE naming the ports another program holds on the lab address. */
export async function assertPortsFree(address: string): Promise<void> {
  const taken = await takenPorts(address)
  if (taken.length > 0) {
    throw new IdbridgeError('IDB_ERR_LAB_PORT_IN_USE', { detail: `${address}: port ${taken.join(', ')} taken` })
  }
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  )
}
