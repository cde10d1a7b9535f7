/** @module The HTTPS certificate: the configured one, or a self-signed one made on first start. */
import { execFile } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { promisify } from 'node:util'
import { IdbridgeError } from '../errors/idbridge-error.ts'

const run = promisify(execFile)

export interface TlsMaterial {
  readonly cert: Buffer
  readonly key: Buffer
  readonly certFile: string
  readonly selfSigned: boolean
}

/** openssl writes the key straight to a 0600 file: no key material passes through argv or env. */
export async function loadTlsMaterial(options: {
  dataDir: string
  certFile?: string
  keyFile?: string
  hostnames: readonly string[]
}): Promise<TlsMaterial> {
  if (options.certFile && options.keyFile) {
    try {
      return {
        cert: readFileSync(options.certFile),
        key: readFileSync(options.keyFile),
        certFile: options.certFile,
        selfSigned: false,
      }
    } catch (cause) {
      throw new IdbridgeError('IDB_ERR_CONFIG_INVALID', {
        detail: `http.tls: cannot read ${options.certFile} or its key`,
        cause,
      })
    }
  }
  const dir = path.join(options.dataDir, 'tls')
  const certFile = path.join(dir, 'cloud-cert.pem')
  const keyFile = path.join(dir, 'cloud-key.pem')
  if (!existsSync(certFile) || !existsSync(keyFile)) {
    mkdirSync(dir, { recursive: true, mode: 0o700 })
    const san = options.hostnames.map((h) => (/^[\d.]+$|:/.test(h) ? `IP:${h}` : `DNS:${h}`)).join(',')
    const previous = process.umask(0o077)
    try {
      await run('openssl', [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-keyout',
        keyFile,
        '-out',
        certFile,
        '-days',
        '825',
        '-subj',
        '/CN=idbridge tenant (self-signed)',
        '-addext',
        `subjectAltName=${san}`,
      ])
    } catch (cause) {
      throw new IdbridgeError('IDB_ERR_CONFIG_INVALID', {
        detail: 'could not generate a self-signed certificate with openssl; install openssl or configure http.tls',
        cause,
      })
    } finally {
      process.umask(previous)
    }
  }
  return { cert: readFileSync(certFile), key: readFileSync(keyFile), certFile, selfSigned: true }
}
