import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { after, before, describe, it } from 'node:test'
import { ntHash } from '../../crypto/org-id-hash.ts'
import { ConnectorTestLab } from '../directory/connector-test-lab.ts'
import { MemoryEventLog } from '../events/agent-event.ts'
import { DrsHashSource } from './drs-hash-source.ts'
import type { RpcCredentials } from './rpc/rpc-connection.ts'

describe('DrsHashSource against the Samba lab DC', () => {
  let lab: ConnectorTestLab
  const password = `Drs-${randomBytes(6).toString('hex')}-Aa1!`
  const plainPassword = `Plain-${randomBytes(6).toString('hex')}-Aa1!`
  let userDn: string
  let plainDn: string
  const sources: DrsHashSource[] = []

  const source = (credentials: RpcCredentials, domainControllers = [lab.lab.address], eventLog = new MemoryEventLog(), pageSize = 400) => {
    const s = new DrsHashSource({
      pageSize,
      domainControllers,
      namingContext: lab.lab.baseDn,
      credentials: () => credentials,
      eventLog,
      timeoutMs: 10_000,
    })
    sources.push(s)
    return s
  }
  const connector = (): RpcCredentials => ({
    domain: lab.lab.netbiosDomain,
    username: lab.lab.connector.username,
    password: lab.lab.connector.password,
  })

  before(async () => {
    lab = await ConnectorTestLab.open()
    userDn = await lab.addUser('Drs Reader', { password })
    plainDn = await lab.addUser('Drs Plain', { password: plainPassword })
  })
  after(async () => {
    for (const s of sources) await s.close()
    await lab?.cleanup()
  })

  it('replicates one user with EXOP_REPL_OBJ and recovers the NT hash of the known password', async () => {
    const read = await source(connector()).readOne(userDn)
    assert.ok(read.ok, read.ok ? '' : read.error.detail)
    const credential = read.value!
    assert.equal(credential.distinguishedName.toLowerCase(), userDn.toLowerCase())
    assert.deepEqual(credential.ntHash, await ntHash(password))
    assert.equal(credential.objectGuid, await lab.objectGuid(userDn))
    assert.ok(credential.pwdLastSet && Math.abs(credential.pwdLastSet - Date.now()) < 10 * 60_000)
  })

  it('walks the whole naming context in pages and finds every lab user with its hash', async () => {
    const seen = new Map<string, Buffer | undefined>()
    let pages = 0
    // Small pages, so the walk pages and prefetches the next page while one is processed.
    const walked = await source(connector(), undefined, undefined, 20).readAll(async (page) => {
      pages++
      for (const c of page) seen.set(c.distinguishedName.toLowerCase(), c.ntHash)
    })
    assert.ok(walked.ok, walked.ok ? '' : walked.error.detail)
    assert.ok(pages >= 3, `${pages} pages`)
    for (const user of lab.lab.users) {
      assert.deepEqual(seen.get(user.dn.toLowerCase()), await ntHash(user.password), user.username)
    }
    assert.deepEqual(seen.get(userDn.toLowerCase()), await ntHash(password))
  })

  it("a walk from the last walk's watermark returns only what changed since, with the new hash", async () => {
    const s = source(connector())
    const first = await s.readAll(async () => undefined)
    assert.ok(first.ok, first.ok ? '' : first.error.detail)
    const changed = `Drs-Changed-${randomBytes(6).toString('hex')}-Aa1!`
    await lab.set(userDn, 'unicodePwd', Buffer.from(`"${changed}"`, 'utf16le'))
    const seen = new Map<string, Buffer | undefined>()
    const since = await s.readAll(
      async (page) => {
        for (const c of page) seen.set(c.distinguishedName.toLowerCase(), c.ntHash)
      },
      { since: first.value },
    )
    assert.ok(since.ok, since.ok ? '' : since.error.detail)
    assert.deepEqual(seen.get(userDn.toLowerCase()), await ntHash(changed), 'the changed user, with its new hash')
    assert.ok(seen.size < lab.lab.users.length, `${seen.size} users: the unchanged ones are not read again`)
    const again: string[] = []
    const quiet = await s.readAll(async (page) => void again.push(...page.map((c) => c.distinguishedName.toLowerCase())), { since: since.value })
    assert.ok(quiet.ok)
    assert.ok(!again.includes(userDn.toLowerCase()), 'read once: the watermark moved past the change')
  })

  it('answers undefined for a DN that does not exist', async () => {
    const read = await source(connector()).readOne(`CN=nobody-${randomBytes(3).toString('hex')},${lab.inOu}`)
    assert.ok(read.ok, read.ok ? '' : read.error.detail)
    assert.equal(read.value, undefined)
  })

  it('a base DN the DC does not know is named, with the key to fix', async () => {
    const s = new DrsHashSource({
      domainControllers: [lab.lab.address],
      namingContext: 'DC=nowhere,DC=test',
      credentials: connector,
      eventLog: new MemoryEventLog(),
      timeoutMs: 10_000,
    })
    sources.push(s)
    const walked = await s.readAll(async () => undefined)
    assert.ok(!walked.ok)
    assert.equal(walked.error.code, 'AGENT_ERR_PHS_DRS_ERROR')
    assert.match(walked.error.detail ?? '', /naming context DC=nowhere,DC=test .*directory\.baseDn/)
  })

  it('an account without the replication rights gets AGENT_ERR_PHS_ACCESS_DENIED with the WERROR', async () => {
    const sam = `ct-drsplain`
    const read = await source({ domain: lab.lab.netbiosDomain, username: sam, password: plainPassword }).readOne(plainDn)
    assert.ok(!read.ok)
    assert.equal(read.error.code, 'AGENT_ERR_PHS_ACCESS_DENIED')
    assert.equal(read.error.data?.dc, lab.lab.address)
    assert.match(String(read.error.data?.werror ?? read.error.data?.rpcStatus), /^0x/)
  })

  it('a wrong connector password gets AGENT_ERR_PHS_AUTH_FAILED, not a hang', async () => {
    const read = await source({ ...connector(), password: 'not-the-password' }).readOne(userDn)
    assert.ok(!read.ok)
    assert.equal(read.error.code, 'AGENT_ERR_PHS_AUTH_FAILED')
  })

  it('an unreachable DC is skipped with event 616 and the next preferred DC answers', async () => {
    const eventLog = new MemoryEventLog()
    // 127.0.0.2 is loopback with nothing listening on 135: refused at once.
    const read = await source(connector(), ['127.0.0.2', lab.lab.address], eventLog).readOne(userDn)
    assert.ok(read.ok, read.ok ? '' : read.error.detail)
    const skipped = eventLog.events.find((e) => e.id === 616)!
    assert.equal(skipped.data?.code, 'AGENT_ERR_PHS_RPC_UNREACHABLE')
    assert.equal(skipped.data?.dc, '127.0.0.2')
    const alone = await source(connector(), ['127.0.0.2']).readOne(userDn)
    assert.ok(!alone.ok && alone.error.code === 'AGENT_ERR_PHS_RPC_UNREACHABLE')
  })
})
