/** @module Test fixture: the shared Samba lab, an admin client, and private OUs that tests create and remove. */
import { randomBytes } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { Attribute, Change, Client } from 'ldapts'
import type { LabInfo } from '../../lab/lab-info.ts'
import { testLab } from '../../lab/lab-test-clients.ts'
import { MemoryEventLog } from '../events/agent-event.ts'
import type { SyncScope } from './directory-records.ts'
import type { LdapConnectorOptions } from './ldap-connector-options.ts'

/** A private corner of the lab: one OU in sync scope and one outside it, removed by `cleanup()`. */
export class ConnectorTestLab {
  readonly lab: LabInfo
  readonly ca: Buffer
  readonly admin: Client
  readonly inOu: string
  readonly outOu: string

  private constructor(lab: LabInfo, ca: Buffer, admin: Client, id: string) {
    this.lab = lab
    this.ca = ca
    this.admin = admin
    this.inOu = `OU=connector-test-${id},${lab.scope.syncOu}`
    this.outOu = `OU=connector-test-${id}-out,${lab.scope.outOfScopeOu}`
  }

  /** Fails (never skips) without IDBRIDGE_TEST_LAB; that is testLab()'s contract. */
  static async open(): Promise<ConnectorTestLab> {
    const lab = await testLab()
    const ca = await readFile(lab.caCertPath)
    const admin = new Client({ url: lab.ldapUrl, tlsOptions: { ca }, timeout: 20_000 })
    await admin.bind(lab.admin.dn, lab.admin.password)
    const fixture = new ConnectorTestLab(lab, ca, admin, randomBytes(4).toString('hex'))
    await admin.add(fixture.inOu, { objectClass: ['top', 'organizationalUnit'] })
    await admin.add(fixture.outOu, { objectClass: ['top', 'organizationalUnit'] })
    return fixture
  }

  /** Connector options for the real connector account, scoped to the private OU unless told otherwise. */
  options(overrides: Partial<LdapConnectorOptions> = {}): LdapConnectorOptions & { eventLog: MemoryEventLog } {
    const scope: SyncScope = { ous: [this.inOu] }
    return {
      domainControllers: [this.lab.ldapUrl],
      baseDn: this.lab.baseDn,
      bindDn: this.lab.connector.dn,
      bindPassword: this.lab.connector.password,
      caCert: this.ca,
      scope,
      pageSize: 50,
      presenceCheckIntervalMs: 0,
      timeouts: { connectMs: 3_000, operationMs: 20_000 },
      ...overrides,
      eventLog: (overrides.eventLog as MemoryEventLog | undefined) ?? new MemoryEventLog(),
    }
  }

  /** Adds an enabled user (under the private in-scope OU unless `ou`); returns its DN. With `password` it can bind. */
  async addUser(
    cn: string,
    options: { ou?: string; attributes?: Record<string, string>; password?: string; consistencyGuid?: Buffer } = {},
  ): Promise<string> {
    const dn = `CN=${cn},${options.ou ?? this.inOu}`
    const sam = `ct-${cn.toLowerCase().replace(/[^a-z0-9]/g, '')}`.slice(0, 20)
    await this.admin.add(dn, {
      objectClass: ['top', 'person', 'organizationalPerson', 'user'],
      sAMAccountName: sam,
      userPrincipalName: `${sam}@${this.lab.dnsDomain}`,
      givenName: cn.split(' ')[0] ?? cn,
      sn: cn.split(' ')[1] ?? 'Test',
      displayName: cn,
      ...options.attributes,
    })
    const changes: Change[] = []
    if (options.password) changes.push(this.replace('unicodePwd', Buffer.from(`"${options.password}"`, 'utf16le')))
    // 544 = NORMAL_ACCOUNT | PASSWD_NOTREQD: enabled without setting a password.
    changes.push(this.replace('userAccountControl', options.password ? '512' : '544'))
    if (options.consistencyGuid) changes.push(this.replace('mS-DS-ConsistencyGuid', options.consistencyGuid))
    await this.admin.modify(dn, changes)
    return dn
  }

  async addGroup(cn: string, members: string[], ou = this.inOu): Promise<string> {
    const dn = `CN=${cn},${ou}`
    await this.admin.add(dn, {
      objectClass: ['top', 'group'],
      sAMAccountName: `ct-${cn}`.slice(0, 20),
      ...(members.length ? { member: members } : {}),
    })
    return dn
  }

  replace(type: string, value: string | Buffer): Change {
    return new Change({ operation: 'replace', modification: new Attribute({ type, values: [value as string] }) })
  }

  add(type: string, value: string): Change {
    return new Change({ operation: 'add', modification: new Attribute({ type, values: [value] }) })
  }

  async set(dn: string, type: string, value: string | Buffer): Promise<void> {
    await this.admin.modify(dn, [this.replace(type, value)])
  }

  async removeMember(groupDn: string, memberDn: string): Promise<void> {
    await this.admin.modify(groupDn, [
      new Change({ operation: 'delete', modification: new Attribute({ type: 'member', values: [memberDn] }) }),
    ])
  }

  async objectGuid(dn: string): Promise<string> {
    const { searchEntries } = await this.admin.search(dn, {
      scope: 'base',
      attributes: ['objectGUID'],
      explicitBufferAttributes: ['objectGUID'],
    })
    return (searchEntries[0]!.objectGUID as Buffer).toString('base64')
  }

  /** Deletes both private OUs with everything below them, deepest first. */
  async cleanup(): Promise<void> {
    for (const ou of [this.inOu, this.outOu]) {
      const found = await this.admin
        .search(ou, { scope: 'sub', attributes: ['dn'] })
        .catch(() => ({ searchEntries: [] }))
      const dns = found.searchEntries.map((e) => e.dn).sort((a, b) => b.split(',').length - a.split(',').length)
      for (const dn of dns) await this.admin.del(dn).catch(() => {})
    }
    await this.admin.unbind()
  }
}

/**
 * One fixture per test file, opened lazily from `beforeEach` so that a missing IDBRIDGE_TEST_LAB
 * fails every test with its message (a failing `before` would only cancel them).
 */
export function connectorTestFixture(): { get(): Promise<ConnectorTestLab>; cleanup(): Promise<void> } {
  let opened: Promise<ConnectorTestLab> | undefined
  return {
    get: () => {
      opened ??= ConnectorTestLab.open()
      return opened
    },
    cleanup: async () => {
      const fixture = await opened?.catch(() => undefined)
      await fixture?.cleanup()
    },
  }
}
