/** @module The import floor: a bare ldapts paged read of what the connector reads in a full import. */
import { readFileSync } from 'node:fs'
import { Client } from 'ldapts'
import { binaryAttributes } from '../agent/directory/ad-entry.ts'
import { personFilter } from '../agent/directory/directory-reads.ts'
import { userAttributes } from '../agent/directory/map-directory-user.ts'
import type { LabInfo } from '../lab/lab-info.ts'

/** The page size the agent's connector uses: full-import.ts reads with `options.pageSize ?? 500` and the agent sets none. */
const connectorPageSize = 500

/**
 * Connects, binds as the connector and pages through the users of `ou` with the connector's filter,
 * attribute list and binary attributes, and nothing else: no mapping, no scope facts, no export.
 * Returns the milliseconds it took and the number of entries read.
 *
 * @example
 * const { ms, count } = await rawPagedRead(lab, lab.bulk.ou)
 */
export async function rawPagedRead(lab: LabInfo, ou: string): Promise<{ ms: number; count: number }> {
  const ca = readFileSync(lab.caCertPath)
  const started = performance.now()
  const client = new Client({ url: lab.ldapUrl, tlsOptions: { ca, minVersion: 'TLSv1.2' }, timeout: 60_000 })
  let count = 0
  try {
    await client.bind(lab.connector.dn, lab.connector.password)
    const pages = client.searchPaginated(ou, {
      scope: 'sub',
      filter: personFilter,
      attributes: userAttributes,
      explicitBufferAttributes: binaryAttributes,
      paged: { pageSize: connectorPageSize },
    })
    for await (const page of pages) count += page.searchEntries.length
  } finally {
    await client.unbind().catch(() => {})
  }
  return { ms: performance.now() - started, count }
}
