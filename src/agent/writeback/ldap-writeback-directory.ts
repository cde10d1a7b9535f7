/** @module The real WritebackDirectory: sessions bound as the connector over LDAPS, preferred DCs in order. */
import { AdEntry } from '../directory/ad-entry.ts'
import { directoryErrorData } from '../directory/classify-directory-error.ts'
import { openPreferredSession } from '../directory/dc-session.ts'
import type { LdapConnectorOptions } from '../directory/ldap-connector-options.ts'
import { directoryFault } from './directory-fault.ts'
import { LdapWritebackSession } from './ldap-writeback-session.ts'
import type { Outcome, WritebackDirectory, WritebackSession } from './writeback-directory.ts'

/** `DC=contoso,DC=test` → `CONTOSO.TEST`, the form the reference's events 405 and 403 use. */
export function domainNameOf(baseDn: string): string {
  return baseDn
    .split(',')
    .map((rdn) => /^\s*dc=(.+)$/i.exec(rdn)?.[1])
    .filter((part): part is string => part !== undefined)
    .join('.')
    .toUpperCase()
}

/**
 * Opens one session per operation: writes are rare, and a fresh bind means a connector password
 * change or a DC failover never leaves a stale connection behind.
 */
export class LdapWritebackDirectory implements WritebackDirectory {
  readonly domainName: string
  readonly #options: LdapConnectorOptions
  #connectorName: string | undefined

  constructor(options: LdapConnectorOptions) {
    this.#options = options
    this.domainName = domainNameOf(options.baseDn)
  }

  async open(skip: readonly string[] = []): Promise<Outcome<WritebackSession>> {
    const order = this.#options.domainControllers.filter((dc) => !skip.includes(dc))
    if (order.length === 0) {
      const dc = this.#options.domainControllers.at(-1) ?? ''
      return { ok: false, fault: directoryFault(new Error('no other preferred domain controller is left to try'), dc) }
    }
    const opened = await openPreferredSession(this.#options, order)
    if (!opened.ok) {
      // The classified error knows which DC failed last; its cause keeps the codes and AD's own words.
      const { dc } = directoryErrorData(opened.error)
      return { ok: false, fault: directoryFault(opened.error.cause ?? opened.error, dc) }
    }
    const { dc, client } = opened.value
    this.#connectorName ??= await client
      .search(this.#options.bindDn, { scope: 'base', attributes: ['sAMAccountName'] })
      .then((r) => new AdEntry(r.searchEntries[0] ?? { dn: '' }).text('sAMAccountName') ?? undefined)
      .catch(() => undefined)
    const name = this.#connectorName ?? /^CN=([^,]+)/i.exec(this.#options.bindDn)?.[1] ?? this.#options.bindDn
    return { ok: true, value: new LdapWritebackSession(dc, client, name, this.#options) }
  }
}
