/** @module Change notification against the Samba lab: a modify triggers onChange within 5 s; stop() ends it. */
import assert from 'node:assert/strict'
import { after, beforeEach, describe, test } from 'node:test'
import { setTimeout as sleep } from 'node:timers/promises'
import { type ConnectorTestLab, connectorTestFixture } from './connector-test-lab.ts'
import { LdapDirectoryConnector } from './ldap-directory-connector.ts'

let t: ConnectorTestLab

describe('LdapDirectoryConnector watch (Samba lab)', () => {
  const fixture = connectorTestFixture()
  beforeEach(async () => {
    t = await fixture.get()
  })
  after(() => fixture.cleanup())

  test('calls onChange within 5 s of a modify, debounced, and not after stop()', async () => {
    const dn = await t.addUser('Wanda Watched')
    const options = t.options()
    const connector = new LdapDirectoryConnector(options)
    const calls: number[] = []
    const watch = await connector.watch(() => calls.push(Date.now()))
    assert.ok(watch.ok, watch.ok ? '' : watch.error.message)
    assert.equal(options.eventLog.events.filter((e) => e.id === 9020).length, 1)
    await sleep(300)
    assert.equal(calls.length, 0, 'quiet directory, no calls')

    const changedAt = Date.now()
    await t.set(dn, 'mobile', '+1 555 0142')
    await t.set(dn, 'mobile', '+1 555 0143')
    while (calls.length === 0 && Date.now() - changedAt < 5_000) await sleep(50)
    assert.equal(calls.length, 1, 'two quick modifies, one debounced call')
    const latency = calls[0]! - changedAt
    assert.ok(latency < 5_000, `notified after ${latency} ms`)

    await watch.value.stop()
    const stoppedAt = calls.length
    await t.set(dn, 'mobile', '+1 555 0144')
    await sleep(5_500)
    assert.equal(calls.length, stoppedAt, 'no calls after stop()')
    await connector.close()
  })
})
