/** @module Connects and binds to one DC, or to the first of the preferred DCs that answers. */
import type { ConnectionOptions, TLSSocket } from 'node:tls'
import * as tls from 'node:tls'
import { Client } from 'ldapts'
import type { IdbridgeError, Result } from '../../errors/idbridge-error.ts'
import { classifyDirectoryError } from './classify-directory-error.ts'
import { directoryEvent, directoryFailureEvent } from './directory-events.ts'
import { defaultTimeouts, type LdapConnectorOptions } from './ldap-connector-options.ts'

/** A bound client and the DC it is bound to. */
export interface DcSession {
  readonly dc: string
  readonly client: Client
}

export interface SessionOptions {
  /** No operation timeout: a change-notification search stays open for as long as we watch. */
  readonly longLived?: boolean
  /** Sees every TLS socket the client opens, to notice data arriving on a notification search. */
  readonly onSocket?: (socket: TLSSocket) => void
}

function hostOf(dc: string): string {
  return new URL(dc).hostname.replace(/^\[|\]$/g, '')
}

/** Opens a TLS session to `dc` (ldaps:// directly, ldap:// through StartTLS) and binds as the connector. */
export async function openDcSession(
  dc: string,
  options: LdapConnectorOptions,
  session: SessionOptions = {},
): Promise<Result<DcSession>> {
  const timeouts = { ...defaultTimeouts, ...options.timeouts }
  const host = hostOf(dc)
  const tlsOptions: ConnectionOptions = { ca: options.caCert, minVersion: 'TLSv1.2' }
  const createSecureConnection = ((...args: Parameters<typeof tls.connect>) => {
    const socket = (tls.connect as (...a: unknown[]) => TLSSocket)(...args)
    session.onSocket?.(socket)
    return socket
  }) as typeof tls.connect
  const startTls = dc.toLowerCase().startsWith('ldap://')
  const client = new Client({
    url: dc,
    // ldapts treats tlsOptions on an ldap:// URL as "TLS from the first byte", which port 389 resets.
    tlsOptions: startTls ? undefined : tlsOptions,
    connectTimeout: timeouts.connectMs,
    timeout: session.longLived ? undefined : timeouts.operationMs,
    createSecureConnection,
  })
  try {
    if (startTls) {
      // ldapts would verify the certificate against "localhost" unless told the host.
      await client.startTLS({ ...tlsOptions, host, servername: /^[\d.:]+$/.test(host) ? undefined : host })
    } else if (!dc.toLowerCase().startsWith('ldaps://')) {
      throw new Error(`${dc} is not an ldaps:// or ldap:// URL`)
    }
    await client.bind(options.bindDn, options.bindPassword)
    return { ok: true, value: { dc, client } }
  } catch (err) {
    await client.unbind().catch(() => {})
    return { ok: false, error: classifyDirectoryError(err, dc) }
  }
}

/** Credential problems are the same on every DC; trying the next one only adds bad-password counts. */
function stopsFallThrough(error: IdbridgeError): boolean {
  return (
    error.code === 'AGENT_ERR_DC_BAD_CREDENTIALS' ||
    error.code === 'AGENT_ERR_DC_ACCOUNT_LOCKED' ||
    error.code === 'AGENT_ERR_DC_PASSWORD_EXPIRED' ||
    error.code === 'AGENT_ERR_DC_ACCOUNT_RESTRICTED'
  )
}

/**
 * Tries `order` (default: the preferred DC list) until one binds, logging event 616 for each DC
 * that fails, as Entra Connect's "only use preferred domain controllers" does (SSPR_0029).
 */
export async function openPreferredSession(
  options: LdapConnectorOptions,
  order: readonly string[] = options.domainControllers,
  session: SessionOptions = {},
): Promise<Result<DcSession>> {
  if (order.length === 0) throw new Error('openPreferredSession: no domain controllers configured')
  const failures: IdbridgeError[] = []
  for (const dc of order) {
    const opened = await openDcSession(dc, options, session)
    if (opened.ok) {
      // Only worth an event when the preferred order had to be walked; routine binds would flood the log.
      if (failures.length > 0) {
        options.eventLog.write(
          directoryEvent('connected', `Connected to domain controller ${dc} as ${options.bindDn}.`, {
            dc,
            skippedDcs: failures.length,
          }),
        )
      }
      return opened
    }
    failures.push(opened.error)
    options.eventLog.write(
      directoryFailureEvent(
        'preferredDcFailed',
        `Connection to preferred domain controller ${dc} failed.`,
        opened.error,
      ),
    )
    if (stopsFallThrough(opened.error)) break
  }
  const last = failures[failures.length - 1]!
  return { ok: false, error: last }
}
