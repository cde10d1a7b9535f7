/** @module Provisions an empty Samba AD domain into a lab folder with samba-tool. */
import { mkdir, rm, writeFile } from 'node:fs/promises'
import { type DomainNames, renderSmbConf } from './lab-config-files.ts'
import type { LabPaths } from './lab-paths.ts'
import { runCommand } from './run-command.ts'

/**
 * Runs `samba-tool domain provision`. No --adminpass: samba-tool then makes a random one, which
 * seeding replaces through a 0600 LDIF file, so no password ever appears in a process's argv.
 *
 * @example
 * await provisionDomain(paths, { realm: 'CONTOSO.TEST', netbiosDomain: 'CONTOSO', dnsDomain: 'contoso.test' }, '127.0.0.11')
 */
export async function provisionDomain(paths: LabPaths, names: DomainNames, address: string): Promise<void> {
  await rm(paths.domain, { recursive: true, force: true })
  await runCommand(
    'samba-tool',
    [
      'domain',
      'provision',
      `--realm=${names.realm}`,
      `--domain=${names.netbiosDomain}`,
      '--server-role=dc',
      '--dns-backend=NONE',
      '--host-name=DC1',
      `--host-ip=${address}`,
      `--targetdir=${paths.domain}`,
      '--option=bind interfaces only=yes',
      `--option=interfaces=${address}/8`,
    ],
    { timeoutMs: 5 * 60_000 },
  )
  await writeLabSmbConf(paths, names, address)
}

/** (Re)writes smb.conf and the folders it names; a cached domain copied elsewhere needs new paths. */
export async function writeLabSmbConf(paths: LabPaths, names: DomainNames, address: string): Promise<void> {
  for (const dir of [paths.log, paths.run, paths.runSamba, `${paths.domain}/cache`, `${paths.domain}/etc`]) {
    await mkdir(dir, { recursive: true })
  }
  await writeFile(paths.smbConf, renderSmbConf(paths, names, address))
}
