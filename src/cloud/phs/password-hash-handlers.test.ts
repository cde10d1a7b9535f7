import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { Store } from '../../store/store.ts'
import type { Tenant } from '../../store/store-records.ts'
import { storeBackends } from '../../store/store-test-backends.ts'
import { ManualClock } from '../../time/clock.ts'
import type { HubSessionInfo } from '../agents/hub-session.ts'
import { passwordHashBatchHandler, passwordHashPingHandler } from './password-hash-handlers.ts'
import { PasswordHashIngest } from './password-hash-ingest.ts'

const VERIFIER = `v1;PPH1_MD4,${'ab'.repeat(10)},1000,${'cd'.repeat(32)};`

describe('password hash sync channel handlers', () => {
  let store: Store
  let dispose: () => Promise<void>
  let tenant: Tenant
  const session = (tenantId: string): HubSessionInfo => ({
    sessionId: 's',
    agentId: 'agent-1',
    tenantId,
    host: 'dc-agent',
    version: '0',
    purpose: 'serve',
    origin: 'https://idbridge.test',
    nonce: 'n',
    connectedAt: 0,
  })

  before(async () => {
    ;({ store, dispose } = await storeBackends[0]!.open(new ManualClock()))
    const created = await store.tenants.create({ name: 'handlers', displayName: 'H', domain: 'handlers.test' })
    assert.ok(created.ok)
    tenant = created.value
  })
  after(() => dispose())

  it('refuses a malformed batch by path, without echoing what it carried', async () => {
    const handle = passwordHashBatchHandler(store, new PasswordHashIngest({ store, clock: new ManualClock() }))
    const item = { sourceAnchor: 'AAAA', distinguishedName: 'CN=x', changedAt: null, verifier: `${VERIFIER}junk`, temporary: false }
    const refused = await handle(session(tenant.id), { kind: 'delta', items: [item] })
    assert.ok(!refused.ok)
    assert.equal(refused.error.code, 'IDB_ERR_INVALID_INPUT')
    assert.match(refused.error.detail ?? '', /^password hash batch: items\.0\.verifier: /)
    assert.ok(!(refused.error.detail ?? '').includes(VERIFIER))
  })

  it('answers the ping only while the agent’s tenant has PHS on, and never for an unknown tenant', async () => {
    const ping = passwordHashPingHandler(store)
    const off = await ping(session(tenant.id), {})
    assert.ok(!off.ok && off.error.code === 'IDB_ERR_PHS_NOT_ACTIVATED')
    await store.tenants.updateSettings(tenant.id, { ...tenant.settings, passwordHashSyncEnabled: true })
    assert.ok((await ping(session(tenant.id), {})).ok)
    const unknown = await ping(session('no-such-tenant'), {})
    assert.ok(!unknown.ok && unknown.error.code === 'IDB_ERR_TENANT_NOT_FOUND')
  })
})
