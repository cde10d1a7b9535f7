/**
 * @module DRSUAPI against the Samba lab DC, over the real transport: bind as the connector
 * (Replicating Directory Changes + All), crack the NC DN to its GUID, replicate one user with
 * EXOP_REPL_OBJ and decrypt its unicodePwd, then walk the whole NC page by page. The decrypted
 * hash is compared with ntHash(known password) and with what samba-tool reads from sam.ldb;
 * neither hash nor password is ever printed or passed in argv.
 */
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { ntHash } from '../../../crypto/org-id-hash.ts'
import type { LabInfo } from '../../../lab/lab-info.ts'
import { testLab } from '../../../lab/lab-test-clients.ts'
import { runCommand } from '../../../lab/run-command.ts'
import { DRSUAPI_INTERFACE, type RpcCallTransport, connectRpc } from '../rpc/rpc-connection.ts'
import { DrsClient } from './drs-client.ts'
import { DsNameFormat, DsNameStatus } from './drs-constants.ts'
import { AttributeOid } from './prefix-table.ts'
import type { ReplicatedObject } from './replicated-object.ts'
import type { UsnVector } from './replication-state.ts'

const TIMEOUT_MS = 30_000
/** Small pages, so that the lab's few hundred objects take several calls and paging is exercised. */
const PAGE_OBJECTS = 100

/** unicodePwd as samba-tool reads it from sam.ldb (run as root, no credentials needed). */
async function sambaToolNtHash(lab: LabInfo, username: string): Promise<Buffer> {
  const { stdout } = await runCommand(
    'samba-tool',
    ['user', 'getpassword', username, '--attributes=unicodePwd', '-H', lab.samLdbPath, `--configfile=${lab.smbConfPath}`],
    { timeoutMs: 60_000 },
  )
  const line = stdout.split('\n').find((l) => l.startsWith('unicodePwd:: '))
  assert.ok(line, 'samba-tool printed a unicodePwd line')
  return Buffer.from(line.slice('unicodePwd:: '.length).trim(), 'base64')
}

describe('DRSUAPI replication from the Samba lab DC', () => {
  let lab: LabInfo
  let transport: RpcCallTransport
  let client: DrsClient

  before(async () => {
    lab = await testLab()
    transport = await connectRpc({
      host: lab.address,
      interfaceId: DRSUAPI_INTERFACE,
      credentials: { domain: lab.netbiosDomain, username: lab.connector.username, password: lab.connector.password },
      timeoutMs: TIMEOUT_MS,
    })
    client = await DrsClient.bind(transport, { timeoutMs: TIMEOUT_MS })
  })

  after(async () => {
    try {
      await client?.unbind()
    } finally {
      await transport?.close()
    }
  })

  test('CrackNames turns the NC DN into its GUID', async () => {
    const [item] = await client.crackNames([lab.baseDn], DsNameFormat.DS_FQDN_1779_NAME, DsNameFormat.DS_UNIQUE_ID_NAME)
    assert.equal(item?.status, DsNameStatus.DS_NAME_NO_ERROR)
    assert.match(item?.name ?? '', /^\{[0-9a-f-]{36}\}$/i)
    assert.equal(item?.domain?.toLowerCase(), lab.dnsDomain.toLowerCase())
    const [missing] = await client.crackNames(
      [`CN=nobody,${lab.baseDn}`],
      DsNameFormat.DS_FQDN_1779_NAME,
      DsNameFormat.DS_UNIQUE_ID_NAME,
    )
    assert.notEqual(missing?.status, DsNameStatus.DS_NAME_NO_ERROR)
  })

  test('EXOP_REPL_OBJ replicates one user whose decrypted unicodePwd is its NT hash', async () => {
    const demo = lab.users.filter((u) => u.role === 'demo')
    const user = demo[demo.length - 1]
    assert.ok(user, 'the lab has demo users')
    const page = await client.getNcChanges({ object: { dn: user.dn }, attributes: [AttributeOid.unicodePwd, AttributeOid.objectSid] })
    assert.equal(page.extendedError, undefined, `ulExtendedRet ${page.extendedResult}`)
    assert.equal(page.objects.length, 1)
    const [object] = page.objects
    assert.ok(object)
    assert.equal(object.dn.toLowerCase(), user.dn.toLowerCase())
    assert.ok(object.sid, 'the object carries its SID')
    const encrypted = object.attributes.get(AttributeOid.unicodePwd)?.[0]
    assert.ok(encrypted && encrypted.length === 16 + 4 + 16, 'unicodePwd arrives as a 36-byte ENCRYPTED_PAYLOAD')
    const hash = client.ntHashOf(object)
    assert.ok(hash, 'a password hash was replicated')
    assert.ok(hash.equals(await ntHash(user.password)), 'the hash is ntHash(the known password)')
    assert.ok(hash.equals(await sambaToolNtHash(lab, user.username)), 'the hash is what samba-tool reads from sam.ldb')
  })

  test('a full-NC walk pages until moreData is false and brings every lab user with a password', async () => {
    const [nc] = await client.crackNames([lab.baseDn], DsNameFormat.DS_FQDN_1779_NAME, DsNameFormat.DS_UNIQUE_ID_NAME)
    const ncGuid = nc?.name?.replace(/[{}]/g, '')
    assert.ok(ncGuid)
    const byDn = new Map<string, ReplicatedObject>()
    let usnFrom: UsnVector | undefined
    let invocationId: string | undefined
    let pages = 0
    let last
    do {
      last = await client.getNcChanges({
        nc: { dn: lab.baseDn, guid: ncGuid },
        usnFrom,
        invocationId,
        maxObjects: PAGE_OBJECTS,
        timeoutMs: TIMEOUT_MS,
      })
      pages++
      assert.ok(pages < 1000, 'the walk ends')
      for (const o of last.objects) byDn.set(o.dn.toLowerCase(), o)
      usnFrom = last.highWatermark
      invocationId = last.invocationId
    } while (last.moreData)
    assert.ok(byDn.size > PAGE_OBJECTS, `${byDn.size} objects`)
    assert.ok(pages > 1, `${pages} pages`)
    assert.ok(last.upToDate && last.upToDate.length > 0, 'the last page carries the up-to-dateness vector')
    const root = [...byDn.values()].find((o) => o.isNcPrefix)
    assert.equal(root?.objectGuid, ncGuid.toLowerCase())

    for (const user of lab.users) {
      const object = byDn.get(user.dn.toLowerCase())
      assert.ok(object, `${user.username} was replicated`)
      assert.ok(object.attributes.has(AttributeOid.unicodePwd), `${user.username} has unicodePwd`)
      const hash = client.ntHashOf(object) // throws DRS_SECRET_CHECKSUM_MISMATCH if the layer is wrong
      assert.equal(hash?.length, 16)
      const sam = object.attributes.get(AttributeOid.sAMAccountName)?.[0]?.toString('utf16le')
      assert.equal(sam?.toLowerCase(), user.username.toLowerCase())
    }

    // A later cycle from the stored watermark and vector brings only what changed since.
    const again = await client.getNcChanges({
      nc: lab.baseDn,
      usnFrom,
      upToDate: last.upToDate,
      invocationId,
      cycle: 'incremental',
      maxObjects: PAGE_OBJECTS,
    })
    assert.ok(again.objects.length < byDn.size, `${again.objects.length} objects changed since the walk`)
  })
})
