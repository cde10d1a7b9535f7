/** @module The LDAP reads the connector is built from: users by page or GUID, members, protected users, USN. */
import { AndFilter, type Client, EqualityFilter, type Filter, FilterParser, OrFilter } from 'ldapts'
import { AdEntry, binaryAttributes, escapeFilterText } from './ad-entry.ts'

export const personFilter = '(&(objectCategory=person)(objectClass=user))'
/** LDAP_MATCHING_RULE_IN_CHAIN: AD (and Samba) walk nested membership on the server. */
const IN_CHAIN = '1.2.840.113556.1.4.1941'

/** Builtin groups (S-1-5-32-x) and domain groups (domain SID + RID) that AdminSDHolder protects. */
const protectedBuiltinRids = [544, 548, 549, 550, 551, 552]
const protectedDomainRids = [512, 516, 518, 519, 521, 526, 527]

/** The DC's highestCommittedUSN, read before a pass so nothing committed meanwhile is skipped. */
export async function readHighestUsn(client: Client): Promise<string> {
  const { searchEntries } = await client.search('', { scope: 'base', attributes: ['highestCommittedUSN'] })
  const usn = new AdEntry(searchEntries[0] ?? { dn: '' }).text('highestCommittedUSN')
  if (!usn || !/^\d+$/.test(usn)) throw new Error('the DC did not return highestCommittedUSN in its rootDSE')
  return usn
}

/** Pages of users in scope of one OU, as AdEntry lists. */
export async function* pagedUsers(
  client: Client,
  base: string,
  pageSize: number,
  attributes: string[],
  filter: string | Filter = personFilter,
): AsyncGenerator<AdEntry[]> {
  const pages = client.searchPaginated(base, {
    scope: 'sub',
    filter,
    attributes,
    explicitBufferAttributes: binaryAttributes,
    paged: { pageSize },
  })
  const iterator = pages[Symbol.asyncIterator]()
  let next = iterator.next()
  try {
    for (;;) {
      const page = await next
      if (page.done) return
      // Ask for the following page before the caller works on this one: the DC reads it meanwhile,
      // instead of idling while the caller maps and exports (ldapts asks only when pulled).
      next = iterator.next()
      yield page.value.searchEntries.map((e) => new AdEntry(e))
    }
  } finally {
    // A caller that stops early leaves one page in flight; its outcome no longer matters.
    void next.then(
      () => iterator.return(undefined),
      () => {},
    )
  }
}

/** Users with these objectGUIDs anywhere under `baseDn`, in batches; a GUID not returned no longer exists as a user. */
export async function readUsersByGuid(
  client: Client,
  baseDn: string,
  guids: readonly string[],
  attributes: string[],
): Promise<AdEntry[]> {
  const found: AdEntry[] = []
  for (let i = 0; i < guids.length; i += 100) {
    const batch = guids.slice(i, i + 100)
    // ldapts re-encodes `\xx` escapes of a filter string as UTF-8, which corrupts bytes >= 0x80,
    // so binary values go in as Buffers on filter objects.
    const any = batch.map((g) => new EqualityFilter({ attribute: 'objectGUID', value: Buffer.from(g, 'base64') }))
    const filter = new AndFilter({ filters: [FilterParser.parseString(personFilter), new OrFilter({ filters: any })] })
    for await (const page of pagedUsers(client, baseDn, 500, attributes, filter)) found.push(...page)
  }
  return found
}

/** base64 objectGUIDs of users that are direct or nested members of `groupDn`. */
export async function memberGuids(client: Client, baseDn: string, groupDn: string): Promise<Set<string>> {
  const filter = `(&${personFilter}(memberOf:${IN_CHAIN}:=${escapeFilterText(groupDn)}))`
  const guids = new Set<string>()
  for await (const page of pagedUsers(client, baseDn, 1000, ['objectGUID'], filter)) {
    for (const entry of page) {
      const guid = entry.buffer('objectGUID')
      if (guid) guids.add(guid.toString('base64'))
    }
  }
  return guids
}

function sidToString(sid: Buffer): string {
  const authority = sid.readUIntBE(2, 6)
  const subs = Array.from({ length: sid[1] ?? 0 }, (_, i) => sid.readUInt32LE(8 + i * 4))
  return `S-${sid[0]}-${authority}${subs.map((s) => `-${s}`).join('')}`
}

/** The DNs of the protected groups, found by well-known SID so that localized names do not matter. */
export async function protectedGroupDns(client: Client, baseDn: string): Promise<string[]> {
  const root = await client.search(baseDn, {
    scope: 'base',
    attributes: ['objectSid'],
    explicitBufferAttributes: ['objectSid'],
  })
  const domainSid = new AdEntry(root.searchEntries[0] ?? { dn: '' }).buffer('objectSid')
  if (!domainSid) throw new Error(`${baseDn} has no objectSid; is it the domain root?`)
  const sids = [
    ...protectedBuiltinRids.map((rid) => `S-1-5-32-${rid}`),
    ...protectedDomainRids.map((rid) => `${sidToString(domainSid)}-${rid}`),
  ]
  const filter = `(&(objectClass=group)(|${sids.map((s) => `(objectSid=${s})`).join('')}))`
  const { searchEntries } = await client.search(baseDn, { scope: 'sub', filter, attributes: ['distinguishedName'] })
  return searchEntries.map((e) => e.dn)
}

/** OR of `(memberOf=dn)` over `dns`, in chunks so that a filter stays a sane size. */
function memberOfAny(dns: readonly string[], chunk = 100): string[] {
  const filters: string[] = []
  for (let i = 0; i < dns.length; i += chunk) {
    filters.push(`(|${dns.slice(i, i + chunk).map((dn) => `(memberOf=${escapeFilterText(dn)})`).join('')})`)
  }
  return filters
}

/**
 * The protected groups and every group nested in them, walking down one level per search. Only
 * groups are searched: a user search with memberOf scans every user on Samba (30 ms per 1,000
 * users per search), which cost 0.4 s of a 1,000-user import when it ran once per protected group;
 * an IN_CHAIN search is worse still (6 s on 10,000 users).
 */
export async function protectedGroupClosure(
  client: Client,
  baseDn: string,
  groupDns: readonly string[],
): Promise<string[]> {
  const seen = new Set(groupDns.map((dn) => dn.toLowerCase()))
  const closure = [...groupDns]
  for (let level = [...groupDns]; level.length > 0; ) {
    const next: string[] = []
    for (const member of memberOfAny(level)) {
      const nested = await client.search(baseDn, {
        scope: 'sub',
        filter: `(&(objectClass=group)${member})`,
        attributes: ['distinguishedName'],
      })
      for (const entry of nested.searchEntries) {
        if (seen.has(entry.dn.toLowerCase())) continue
        seen.add(entry.dn.toLowerCase())
        next.push(entry.dn)
      }
    }
    closure.push(...next)
    level = next
  }
  return closure
}

/** base64 objectGUIDs of users that are direct members of any of `closure` (see protectedGroupClosure). */
export async function protectedGuids(client: Client, baseDn: string, closure: readonly string[]): Promise<Set<string>> {
  const guids = new Set<string>()
  // One search for all groups: each user search is a scan of every user on Samba.
  for (const member of memberOfAny(closure)) {
    for await (const page of pagedUsers(client, baseDn, 1000, ['objectGUID'], `(&${personFilter}${member})`)) {
      for (const entry of page) {
        const guid = entry.buffer('objectGUID')
        if (guid) guids.add(guid.toString('base64'))
      }
    }
  }
  return guids
}
