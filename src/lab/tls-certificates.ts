/** @module A private CA and a DC certificate whose names include the lab address, made with openssl. */
import { chmod, mkdir, rm } from 'node:fs/promises'
import type { LabPaths } from './lab-paths.ts'
import { runCommand } from './run-command.ts'

/**
 * Samba would generate a self-signed certificate for the DC's host name only; clients connect by
 * IP, so strict verification needs an IP subjectAltName. EC keys keep this under a second.
 *
 * @example
 * await createTlsCertificates(paths, '127.0.0.11', 'dc1.contoso.test')
 */
export async function createTlsCertificates(paths: LabPaths, address: string, hostname: string): Promise<void> {
  await rm(paths.tls, { recursive: true, force: true })
  // Readable folder: clients that are not root need ca.pem; the keys themselves are 0600.
  await mkdir(paths.tls, { recursive: true, mode: 0o755 })
  const key = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-noenc']
  await runCommand('openssl', [
    'req',
    '-x509',
    ...key,
    '-keyout',
    paths.caKey,
    '-out',
    paths.caCert,
    '-days',
    '3650',
    '-subj',
    '/O=idbridge lab/CN=idbridge lab CA',
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
  ])
  await runCommand('openssl', [
    'req',
    '-x509',
    ...key,
    '-CA',
    paths.caCert,
    '-CAkey',
    paths.caKey,
    '-keyout',
    paths.serverKey,
    '-out',
    paths.serverCert,
    '-days',
    '825',
    '-subj',
    `/O=idbridge lab/CN=${hostname}`,
    '-addext',
    `subjectAltName=IP:${address},DNS:${hostname}`,
    '-addext',
    'extendedKeyUsage=serverAuth',
    '-addext',
    'basicConstraints=critical,CA:FALSE',
  ])
  // Samba refuses a private key that anyone but its owner can read.
  await chmod(paths.serverKey, 0o600)
  await chmod(paths.caKey, 0o600)
}
