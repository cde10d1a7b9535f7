/** @module Test fixture: writeback on the shared Samba lab, with users each test creates and the fixture deletes. */
import assert from 'node:assert/strict'
import { generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto'
import { Client, InvalidCredentialsError } from 'ldapts'
import { sealPasswordPackage } from '../../crypto/writeback-envelope.ts'
import type { IdbridgeError, Result } from '../../errors/idbridge-error.ts'
import type { PasswordEnvelope, PasswordOperationResult, PasswordPackage } from '../../protocol/password-operation.ts'
import { systemClock } from '../../time/clock.ts'
import { type ConnectorTestLab, connectorTestFixture } from '../directory/connector-test-lab.ts'
import { MemoryEventLog } from '../events/agent-event.ts'
import { LdapWritebackDirectory } from './ldap-writeback-directory.ts'
import { createPasswordOperationHandler } from './password-operation-handler.ts'
import type { WritebackDirectory } from './writeback-directory.ts'
import { defaultWritebackSettings, type WritebackSettings } from './writeback-settings.ts'

/** The result value, or a test failure that shows the code and detail. */
export function expectOk(result: Result<unknown>): PasswordOperationResult {
  assert.ok(result.ok, result.ok ? '' : `${result.error.code}: ${result.error.detail}`)
  return result.value as PasswordOperationResult
}

export function expectFailure(result: Result<unknown>): IdbridgeError {
  assert.ok(!result.ok, 'expected a failure')
  return result.error
}

/** No password may reach an event, in any field. */
export function assertNoSecrets(log: MemoryEventLog, ...secrets: string[]): void {
  const text = JSON.stringify(log.events)
  for (const secret of secrets) assert.ok(!text.includes(secret), 'an event carries a password')
}

export const eventIds = (log: MemoryEventLog): number[] => log.events.map((e) => e.id)

/** A user a test made: the lab users stay untouched, since other test files sign in with them. */
export interface TestUser {
  readonly dn: string
  readonly sam: string
  /** base64 objectGUID, as the connector exports it when there is no ms-DS-ConsistencyGuid. */
  readonly anchor: string
  readonly password: string
}

/** One RSA key pair per file: generating one costs ~100 ms. */
const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
export const agentKeys = {
  agentId: randomUUID(),
  encryptionPublicKey: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  encryptionPrivateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
}

/** A password the lab policy (8+ characters, complexity) accepts and that contains no user's name. */
export function strongPassword(): string {
  return `Wb-${randomBytes(6).toString('base64url')}-9x`
}

export class WritebackTestLab {
  readonly t: ConnectorTestLab
  #count = 0

  constructor(t: ConnectorTestLab) {
    this.t = t
  }

  /** An enabled user with a password in the fixture's private OU; `uac` adds flags to 512. */
  async addUser(options: { uac?: number; consistencyGuid?: Buffer } = {}): Promise<TestUser> {
    const password = strongPassword()
    const cn = `Wb ${randomBytes(3).toString('hex')}${this.#count++}`
    const dn = await this.t.addUser(cn, { password, consistencyGuid: options.consistencyGuid })
    if (options.uac) await this.t.set(dn, 'userAccountControl', String(512 | options.uac))
    const { searchEntries } = await this.t.admin.search(dn, { scope: 'base', attributes: ['sAMAccountName'] })
    const anchor = options.consistencyGuid?.toString('base64') ?? (await this.t.objectGuid(dn))
    return { dn, sam: String(searchEntries[0]!.sAMAccountName), anchor, password }
  }

  /** Reads attributes as the admin sees them. */
  async read(dn: string, attributes: string[]): Promise<Record<string, string>> {
    const { searchEntries } = await this.t.admin.search(dn, { scope: 'base', attributes })
    return Object.fromEntries(attributes.map((a) => [a, String(searchEntries[0]?.[a] ?? '')]))
  }

  /** Locks the user the way AD does: wrong binds up to the lab's threshold. */
  async lockOut(user: TestUser): Promise<void> {
    for (let i = 0; i < this.t.lab.policy.lockoutThreshold; i++) {
      const client = new Client({ url: this.t.lab.ldapUrl, tlsOptions: { ca: this.t.ca }, timeout: 10_000 })
      await client.bind(user.dn, `wrong-${i}-${user.password}`).catch((error: unknown) => {
        if (!(error instanceof InvalidCredentialsError)) throw error
      })
      await client.unbind().catch(() => {})
    }
  }

  /** A package for `user`, sealed for the test agent's key. */
  envelope(
    user: Pick<TestUser, 'anchor'>,
    fields: Partial<PasswordPackage> & Pick<PasswordPackage, 'operation'>,
  ): PasswordEnvelope {
    const pkg: PasswordPackage = {
      trackingId: randomUUID(),
      tenantId: 'tenant-1',
      agentId: agentKeys.agentId,
      expiresAt: Date.now() + 60_000,
      cloudAnchor: `User_${randomUUID()}`,
      sourceAnchor: user.anchor,
      userPrincipalName: 'someone@contoso.test',
      unlockUser: fields.operation !== 'change',
      forceChangePasswordNextLogon: false,
      ...fields,
    }
    return sealPasswordPackage(pkg, agentKeys.encryptionPublicKey)
  }

  /** The real handler bound as `account` (the full connector unless told), with its own event log. */
  handler(
    options: {
      account?: 'connector' | 'limitedConnector'
      settings?: Partial<WritebackSettings>
      domainControllers?: string[]
      /** Wraps the real directory, e.g. to cut the connection at a chosen moment. */
      wrap?: (directory: WritebackDirectory) => WritebackDirectory
    } = {},
  ) {
    const account = this.t.lab[options.account ?? 'connector']
    const eventLog = new MemoryEventLog()
    const real = new LdapWritebackDirectory(
      this.t.options({
        bindDn: account.dn,
        bindPassword: account.password,
        eventLog,
        domainControllers: options.domainControllers ?? [this.t.lab.ldapUrl],
      }),
    )
    const directory = options.wrap ? options.wrap(real) : real
    const handle = createPasswordOperationHandler({
      loadKeys: async () => ({ ok: true, value: agentKeys }),
      directory,
      eventLog,
      settings: { ...defaultWritebackSettings, ...options.settings },
      clock: systemClock,
    })
    const run = (body: unknown, idempotencyKey?: string) => handle(body, { requestId: randomUUID(), idempotencyKey })
    return { run, handle, eventLog }
  }
}

/** One fixture per file, opened lazily from beforeEach (see connectorTestFixture). */
export function writebackTestFixture(): { get(): Promise<WritebackTestLab>; cleanup(): Promise<void> } {
  const inner = connectorTestFixture()
  let opened: Promise<WritebackTestLab> | undefined
  return {
    get: () => (opened ??= inner.get().then((t) => new WritebackTestLab(t))),
    cleanup: () => inner.cleanup(),
  }
}
