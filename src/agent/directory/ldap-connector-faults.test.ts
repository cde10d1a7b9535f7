/** @module Faults against the Samba lab: bad password, unreachable DC, untrusted CA, DC order, DirSync refused, rights. */
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { after, beforeEach, describe, test } from 'node:test'
import { rootCertificates } from 'node:tls'
import { Client } from 'ldapts'
import type { AgentEvent } from '../events/agent-event.ts'
import { classifyDirectoryError } from './classify-directory-error.ts'
import { type ConnectorTestLab, connectorTestFixture } from './connector-test-lab.ts'
import { DirSyncControl } from './dirsync-control.ts'
import { LdapDirectoryConnector } from './ldap-directory-connector.ts'

let t: ConnectorTestLab
/** A fresh account with no delegated rights; bad binds go against it, never against the shared connector. */
let plainDn: string | undefined
const plainPassword = `Pl4in-${randomBytes(6).toString('hex')}!`
const down = 'ldaps://127.0.0.1:1'

const byId = (events: readonly AgentEvent[], id: number) => events.filter((e) => e.id === id)

describe('LdapDirectoryConnector faults (Samba lab)', () => {
  const fixture = connectorTestFixture()
  beforeEach(async () => {
    t = await fixture.get()
    plainDn ??= await t.addUser('Pat Plainaccount', { password: plainPassword })
  })
  after(() => fixture.cleanup())

  test('a wrong connector password is AGENT_ERR_DC_BAD_CREDENTIALS with 49/52e, and the password is never logged', async () => {
    const wrong = `Wr0ng-${randomBytes(6).toString('hex')}`
    const options = t.options({
      bindDn: plainDn,
      bindPassword: wrong,
      domainControllers: [t.lab.ldapUrl, t.lab.ldapPlainUrl],
    })
    const result = await new LdapDirectoryConnector(options).fullImport()
    assert.ok(!result.ok)
    assert.equal(result.error.code, 'AGENT_ERR_DC_BAD_CREDENTIALS')
    assert.deepEqual(result.error.data, { dc: t.lab.ldapUrl, ldapResultCode: 49, adDataCode: '52e', systemCode: null })
    assert.match(result.error.detail!, new RegExp(`^${t.lab.ldapUrl}: .*bind DN and password`))
    const failed = byId(options.eventLog.events, 616)
    assert.equal(failed.length, 1, 'bad credentials do not fall through to the next DC (no extra bad-password counts)')
    assert.equal(failed[0]?.data?.ldapResultCode, 49)
    assert.equal(failed[0]?.data?.adDataCode, '52e')
    assert.equal(byId(options.eventLog.events, 611).length, 1)
    assert.doesNotMatch(JSON.stringify(options.eventLog.events) + result.error.message, new RegExp(wrong))
  })

  test('an unreachable DC is AGENT_ERR_DC_UNREACHABLE naming the DC', async () => {
    const options = t.options({ domainControllers: [down] })
    const result = await new LdapDirectoryConnector(options).fullImport()
    assert.ok(!result.ok)
    assert.equal(result.error.code, 'AGENT_ERR_DC_UNREACHABLE')
    assert.deepEqual(result.error.data, {
      dc: down,
      ldapResultCode: null,
      adDataCode: null,
      systemCode: 'ECONNREFUSED',
    })
    assert.match(result.error.detail!, /^ldaps:\/\/127\.0\.0\.1:1: .*is up, resolves/)
    const event = byId(options.eventLog.events, 616)[0]
    assert.equal(event?.source, 'Directory Synchronization')
    assert.deepEqual(
      [event?.data?.ldapResultCode, event?.data?.adDataCode, event?.data?.code],
      [null, null, 'AGENT_ERR_DC_UNREACHABLE'],
    )
  })

  test('a CA that did not issue the DC certificate is AGENT_ERR_DC_CERT_UNTRUSTED', async () => {
    const options = t.options({ caCert: rootCertificates[0]! })
    const result = await new LdapDirectoryConnector(options).fullImport()
    assert.ok(!result.ok)
    assert.equal(result.error.code, 'AGENT_ERR_DC_CERT_UNTRUSTED')
    assert.equal(result.error.data?.dc, t.lab.ldapUrl)
    assert.match(String(result.error.data?.systemCode), /UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED|ISSUER/)
    assert.match(result.error.detail!, /CA certificate/)
  })

  test('preferred DCs are tried in order: a dead first DC logs 616 and the next one serves', async () => {
    const options = t.options({ domainControllers: [down, t.lab.ldapPlainUrl] })
    const connector = new LdapDirectoryConnector(options)
    await t.addUser('Ola Order')
    const result = await connector.fullImport()
    assert.ok(result.ok, result.ok ? '' : result.error.message)
    assert.equal(result.value.cookie.dc, t.lab.ldapPlainUrl, 'the StartTLS DC issued the cookie')
    assert.deepEqual(result.value.users.map((u) => u.displayName).sort(), ['Ola Order', 'Pat Plainaccount'])
    assert.deepEqual(
      byId(options.eventLog.events, 616).map((e) => e.data?.dc),
      [down],
    )
    assert.equal(byId(options.eventLog.events, 9001)[0]?.data?.dc, t.lab.ldapPlainUrl)

    // The cookie's DC is gone: the connector says so and resyncs fully from another DC.
    const stale = { ...result.value.cookie, dc: down }
    const delta = await connector.deltaImport(stale)
    assert.ok(delta.ok, delta.ok ? '' : delta.error.message)
    assert.equal(byId(options.eventLog.events, 9011).length, 1)
    assert.deepEqual(
      delta.value.changes.map((c) => c.kind),
      ['upsert', 'upsert'],
    )
    assert.equal(delta.value.cookie.dc, t.lab.ldapPlainUrl)
  })

  test('Samba refuses DirSync to an account without the right (50): the connector falls back to uSNChanged', async () => {
    // The real refusal, as the DC words it.
    const raw = new Client({ url: t.lab.ldapUrl, tlsOptions: { ca: t.ca }, timeout: 10_000 })
    await raw.bind(plainDn!, plainPassword)
    const refused = await raw
      .search(t.lab.baseDn, { filter: '(objectClass=user)' }, [new DirSyncControl({ cookie: Buffer.alloc(0) })])
      .catch((e: unknown) => e)
    await raw.unbind()
    const error = classifyDirectoryError(refused, t.lab.ldapUrl)
    assert.equal(error.code, 'AGENT_ERR_DC_INSUFFICIENT_RIGHTS')
    assert.equal(error.data?.ldapResultCode, 50)
    assert.match(String((refused as Error).message), /dirsync: insufficient access rights/)

    // A cookie issued by the real connector, then used by the account without the right.
    const full = await new LdapDirectoryConnector(t.options()).fullImport()
    assert.ok(full.ok && full.value.cookie.mode === 'dirsync')
    const options = t.options({ bindDn: plainDn, bindPassword: plainPassword })
    const connector = new LdapDirectoryConnector(options)
    const mine = await connector.fullImport()
    assert.ok(mine.ok, mine.ok ? '' : mine.error.message)
    assert.equal(mine.value.cookie.mode, 'usn')
    const refusal = byId(options.eventLog.events, 9010)[0]
    assert.equal(refusal?.level, 'warning')
    assert.deepEqual([refusal?.data?.code, refusal?.data?.ldapResultCode], ['AGENT_ERR_DC_DIRSYNC_REFUSED', 50])

    const fresh = await t.addUser('Uma Usnfallback')
    const delta = await connector.deltaImport(full.value.cookie)
    assert.ok(delta.ok, delta.ok ? '' : delta.error.message)
    assert.equal(delta.value.cookie.mode, 'usn')
    assert.ok(delta.value.changes.some((c) => c.kind === 'upsert' && c.user.distinguishedName === fresh))
    assert.equal(byId(options.eventLog.events, 9010).length, 2)
  })

  test('a write the account has no right to is AGENT_ERR_DC_INSUFFICIENT_RIGHTS with the AD data code', async () => {
    const limited = new Client({ url: t.lab.ldapUrl, tlsOptions: { ca: t.ca }, timeout: 10_000 })
    await limited.bind(t.lab.limitedConnector.dn, t.lab.limitedConnector.password)
    const target = await t.addUser('Walt Writeprotected')
    const err = await limited.modify(target, [t.replace('lockoutTime', '0')]).catch((e: unknown) => e)
    await limited.unbind()
    const error = classifyDirectoryError(err, t.lab.ldapUrl)
    assert.equal(error.code, 'AGENT_ERR_DC_INSUFFICIENT_RIGHTS')
    assert.equal(error.data?.ldapResultCode, 50)
    assert.match(String(error.data?.adDataCode), /^[0-9a-f]+$/)
  })
})
