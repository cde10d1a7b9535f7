/** @module The password.operation handler: envelopes, keys read per request, replays answered once. */
import assert from 'node:assert/strict'
import { generateKeyPairSync, randomUUID } from 'node:crypto'
import { describe, test } from 'node:test'
import { type EnvelopeKeys, sealPasswordPackage } from '../../crypto/writeback-envelope.ts'
import { IdbridgeError, type Result } from '../../errors/idbridge-error.ts'
import { PASSWORD_OPERATION_OP, type PasswordPackage } from '../../protocol/password-operation.ts'
import { ManualClock } from '../../time/clock.ts'
import { AgentRequestHandlers } from '../channel/agent-request-handlers.ts'
import { MemoryEventLog } from '../events/agent-event.ts'
import { FakeWritebackDirectory } from './fake-writeback-directory.ts'
import { createPasswordOperationHandler } from './password-operation-handler.ts'
import { defaultWritebackSettings } from './writeback-settings.ts'

function keyPair(agentId: string): EnvelopeKeys {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
  return {
    agentId,
    encryptionPublicKey: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    encryptionPrivateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  }
}

const agentId = randomUUID()
const first = keyPair(agentId)
const second = keyPair(agentId)
const anchor = Buffer.alloc(16, 9).toString('base64')

function setup() {
  const clock = new ManualClock(Date.UTC(2026, 5, 1))
  const directory = new FakeWritebackDirectory()
  directory.users.push({
    dn: 'CN=Ann,OU=Synced,DC=contoso,DC=test',
    samAccountName: 'ann',
    displayName: 'Ann Example',
    userAccountControl: 512,
    adminCount: 0,
    pwdLastSet: clock.now() - 86_400_000,
    resultantPso: null,
    anchor,
    password: 'Old-Pass-1',
    locked: false,
  })
  const eventLog = new MemoryEventLog()
  const keys = { current: first as EnvelopeKeys | null, reads: 0 }
  const handler = createPasswordOperationHandler({
    loadKeys: async (): Promise<Result<EnvelopeKeys>> => {
      keys.reads++
      if (keys.current) return { ok: true, value: keys.current }
      const error = new IdbridgeError('IDB_ERR_AGENT_KEY_FILE', { detail: 'agent-key.json has mode 644' })
      return { ok: false, error }
    },
    directory,
    eventLog,
    settings: defaultWritebackSettings,
    clock,
  })
  const seal = (fields: Partial<PasswordPackage>, key = first) =>
    sealPasswordPackage(
      {
        trackingId: randomUUID(),
        tenantId: 't1',
        agentId,
        operation: 'reset',
        expiresAt: clock.now() + 60_000,
        cloudAnchor: 'User_1',
        sourceAnchor: anchor,
        userPrincipalName: 'ann@contoso.test',
        password: 'New-Pass-2',
        unlockUser: true,
        forceChangePasswordNextLogon: false,
        ...fields,
      },
      key.encryptionPublicKey,
    )
  return { clock, directory, eventLog, keys, handler, seal }
}

const context = (idempotencyKey?: string) => ({ requestId: randomUUID(), idempotencyKey })

describe('createPasswordOperationHandler', () => {
  test('a tampered envelope is 32004: the start event comes from the clear header, nothing reaches AD', async () => {
    const { handler, seal, eventLog, directory } = setup()
    const envelope = seal({})
    const bytes = Buffer.from(envelope.ciphertext, 'base64')
    bytes[0]! ^= 1
    const result = await handler({ ...envelope, ciphertext: bytes.toString('base64') }, context())
    assert.ok(!result.ok)
    assert.deepEqual([result.error.code, result.error.data?.eventId], ['IDB_ERR_WB_DECRYPTION', 32004])
    assert.equal(result.error.data?.trackingId, envelope.header.trackingId)
    assert.deepEqual(eventLog.events.map((e) => e.id), [31001, 32004, 31003])
    const { trackingId } = envelope.header
    const sealed = 'Details: Context: the password package could not be opened'
    assert.equal(eventLog.events[0]!.message, `TrackingId: ${trackingId}, PasswordResetStart, ${sealed}`)
    assert.equal(directory.users[0]!.password, 'Old-Pass-1')
  })

  test('an expired package is 32003 and an unreadable key file is a decryption failure (32010)', async () => {
    const { handler, seal, clock, keys } = setup()
    const late = seal({ operation: 'change', oldPassword: 'Old-Pass-1' })
    clock.advance(120_000)
    const expired = await handler(late, context())
    assert.deepEqual(expired.ok ? [] : [expired.error.code, expired.error.data?.eventId], ['IDB_ERR_WB_EXPIRED', 32003])
    keys.current = null
    const noKeys = await handler(seal({}), context())
    assert.deepEqual(noKeys.ok ? [] : [noKeys.error.code, noKeys.error.data?.eventId], ['IDB_ERR_WB_DECRYPTION', 32010])
  })

  test('keys are read for every request, so a rotated key works without a restart', async () => {
    const { handler, seal, keys } = setup()
    assert.ok((await handler(seal({}), context())).ok)
    keys.current = second
    const stale = await handler(seal({ password: 'New-Pass-3' }), context())
    assert.equal(stale.ok ? '' : stale.error.code, 'IDB_ERR_WB_DECRYPTION', 'sealed for the old key')
    assert.ok((await handler(seal({ password: 'New-Pass-4' }, second), context())).ok)
    assert.equal(keys.reads, 3)
  })

  test('a replayed tracking id gets the first result and no second write, whatever the idempotency key', async () => {
    const { handler, seal, directory } = setup()
    const handlers = new AgentRequestHandlers({ clock: new ManualClock() })
    handlers.on(PASSWORD_OPERATION_OP, handler)
    const envelope = seal({})
    const key = envelope.header.trackingId
    const once = await handlers.handle(PASSWORD_OPERATION_OP, envelope, context(key))
    const twice = await handlers.handle(PASSWORD_OPERATION_OP, envelope, context(key))
    const otherKey = await handlers.handle(PASSWORD_OPERATION_OP, envelope, context(randomUUID()))
    assert.ok(once.ok)
    assert.deepEqual(twice, once)
    assert.deepEqual(otherKey, once)
    assert.equal(directory.writes.length, 1)
  })
})
