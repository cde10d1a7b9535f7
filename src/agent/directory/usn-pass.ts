/** @module The uSNChanged fallback: changes since a USN watermark, for accounts DirSync refuses. */
import { type Client, Control } from 'ldapts'
import { AdEntry, binaryAttributes } from './ad-entry.ts'
import { addSignal, type ChangeSignals, emptySignals } from './change-signals.ts'
import { pagedUsers } from './directory-reads.ts'

const LDAP_SERVER_SHOW_DELETED_OID = '1.2.840.113556.1.4.417'

/**
 * Everything under `baseDn` with uSNChanged above `sinceUsn`. Tombstones come through the Show
 * Deleted control where the account may read them (by default only admins may, in AD and Samba);
 * otherwise the connector's presence check finds deletions.
 */
export async function usnPass(
  client: Client,
  baseDn: string,
  sinceUsn: string,
  pageSize: number,
): Promise<ChangeSignals> {
  const signals = emptySignals()
  const next = (BigInt(sinceUsn) + 1n).toString()
  const filter = `(&(|(objectClass=user)(objectClass=group))(uSNChanged>=${next}))`
  for await (const page of pagedUsers(client, baseDn, pageSize, ['objectGUID', 'isDeleted'], filter)) {
    for (const entry of page) addSignal(signals, entry)
  }
  try {
    const deleted = await client.search(
      baseDn,
      {
        scope: 'sub',
        filter: `(&(isDeleted=TRUE)(objectClass=user)(uSNChanged>=${next}))`,
        attributes: ['objectGUID', 'isDeleted'],
        explicitBufferAttributes: binaryAttributes,
      },
      [new Control(LDAP_SERVER_SHOW_DELETED_OID, { critical: true })],
    )
    for (const entry of deleted.searchEntries) addSignal(signals, new AdEntry(entry))
  } catch {
    // Not allowed to list tombstones: the presence check covers deletions instead.
  }
  return signals
}
