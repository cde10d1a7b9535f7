import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { test } from 'node:test'
import { crc32 } from 'node:zlib'
import { ntHash } from '../../../crypto/org-id-hash.ts'
import { rc4 } from '../../../crypto/rc4.ts'
import { encryptHashWithRid } from '../../../crypto/single-des.ts'
import { NdrReader } from '../ndr/ndr-reader.ts'
import { DrsClient, type DrsTransport } from './drs-client.ts'
import { DrsExtFlags, DrsOpnum, DsNameFormat } from './drs-constants.ts'
import { DrsError } from './drs-error.ts'
import { readDsName } from './dsname.ts'
import { fakeBindReply, fakeCrackNamesReply, fakeGetNcChangesReply } from './fake-drs-replies.ts'
import { AttributeOid, oidToBer } from './prefix-table.ts'

const SESSION_KEY = Buffer.alloc(16, 0x42)
const HANDLE = Buffer.alloc(20, 0x17)
const SID_1104 = Buffer.from('010500000000000515000000010203040506070809101112' + '50040000', 'hex')

function serverExtensions(flags = DrsExtFlags.GETCHGREQ_V8 | DrsExtFlags.STRONG_ENCRYPTION | DrsExtFlags.GETCHGREPLY_V6): Buffer {
  const ext = Buffer.alloc(48)
  ext.writeUInt32LE(flags >>> 0, 0)
  return ext
}

class FakeTransport implements DrsTransport {
  readonly sessionKey = SESSION_KEY
  readonly calls: Array<{ opnum: number; stub: Buffer }> = []
  readonly replies = new Map<number, Buffer>()

  async call(opnum: number, stub: Buffer): Promise<Buffer> {
    this.calls.push({ opnum, stub })
    const reply = this.replies.get(opnum)
    if (!reply) throw new Error(`no reply for opnum ${opnum}`)
    return reply
  }
}

function encryptSecret(data: Buffer): Buffer {
  const salt = Buffer.alloc(16, 3)
  const key = createHash('md5').update(SESSION_KEY).update(salt).digest()
  const checksum = Buffer.alloc(4)
  checksum.writeUInt32LE(crc32(data))
  return Buffer.concat([salt, rc4(key, Buffer.concat([checksum, data]))])
}

async function boundClient(): Promise<{ client: DrsClient; transport: FakeTransport }> {
  const transport = new FakeTransport()
  transport.replies.set(DrsOpnum.bind, fakeBindReply(serverExtensions(), HANDLE))
  return { client: await DrsClient.bind(transport), transport }
}

const failsWith = (code: string, werror?: number) => (e: unknown) =>
  DrsError.is(e) && e.code === code && (werror === undefined || e.werror === werror)

test('bind keeps the handle and the server extensions', async () => {
  const { client, transport } = await boundClient()
  assert.equal(transport.calls[0]?.opnum, 0)
  assert.ok(client.bound)
  assert.ok(client.serverExtensions.flags & DrsExtFlags.GETCHGREQ_V8)
})

test('bind refuses a DC without V8 requests or strong encryption, and reports WERRORs in hex', async () => {
  const transport = new FakeTransport()
  transport.replies.set(DrsOpnum.bind, fakeBindReply(serverExtensions(DrsExtFlags.GETCHGREQ_V8), HANDLE))
  await assert.rejects(DrsClient.bind(transport), failsWith('DRS_SERVER_UNSUPPORTED'))
  transport.replies.set(DrsOpnum.bind, fakeBindReply(null, Buffer.alloc(20), 5))
  await assert.rejects(DrsClient.bind(transport), (e) => failsWith('DRS_CALL_FAILED', 5)(e) && /0x00000005/.test(String(e)))
})

test('crackNames returns one result per name', async () => {
  const { client, transport } = await boundClient()
  transport.replies.set(DrsOpnum.crackNames, fakeCrackNamesReply([{ status: 0, domain: 'x.test', name: '{guid}' }]))
  const items = await client.crackNames(['DC=x,DC=test'], DsNameFormat.DS_FQDN_1779_NAME, DsNameFormat.DS_UNIQUE_ID_NAME)
  assert.deepEqual(items, [{ status: 0, domain: 'x.test', name: '{guid}' }])
  assert.equal(transport.calls[1]?.opnum, 12)
  assert.deepEqual(transport.calls[1]?.stub.subarray(0, 20), HANDLE)
})

test('a single-object replication sends EXOP_REPL_OBJ for the object and decrypts its NT hash', async () => {
  const { client, transport } = await boundClient()
  const nt = await ntHash('Pa$$w0rd')
  transport.replies.set(
    DrsOpnum.getNcChanges,
    fakeGetNcChangesReply({
      prefixTable: [{ index: 9, prefix: oidToBer('1.2.840.113556.1.4') }],
      objects: [
        {
          name: { dn: 'CN=alice,DC=x', guid: '11111111-2222-3333-4444-555555555555', sid: SID_1104 },
          attributes: [{ attid: 0x9005a, values: [encryptSecret(encryptHashWithRid(nt, 1104))] }],
        },
      ],
      extendedResult: 1,
      usnTo: { highObjUpdate: 9n, reserved: 0n, highPropUpdate: 9n },
    }),
  )
  const page = await client.getNcChanges({ object: { dn: 'CN=alice,DC=x' }, attributes: [AttributeOid.unicodePwd] })
  const stub = transport.calls[1]?.stub
  assert.ok(stub)
  assert.equal(stub.readUInt32LE(112), 6) // ulExtendedOp
  assert.equal(readDsName(new NdrReader(stub.subarray(144))).dn, 'CN=alice,DC=x')
  assert.equal(page.extendedError, undefined)
  assert.equal(page.objects.length, 1)
  const [alice] = page.objects
  assert.ok(alice)
  assert.equal(alice.objectGuid, '11111111-2222-3333-4444-555555555555')
  assert.ok(alice.attributes.get(AttributeOid.unicodePwd)?.[0]?.length === 36, 'the value stays encrypted')
  assert.deepEqual(client.ntHashOf(alice), nt)
  assert.equal(page.highWatermark.highObjUpdate, 9n)
})

test('a failed extended operation is reported on the page', async () => {
  const { client, transport } = await boundClient()
  transport.replies.set(DrsOpnum.getNcChanges, fakeGetNcChangesReply({ extendedResult: 2 }))
  const page = await client.getNcChanges({ object: 'CN=missing,DC=x' })
  assert.equal(page.extendedError, 2)
  const walk = await client.getNcChanges({ nc: 'DC=x' })
  assert.equal(walk.extendedError, undefined, 'a walk has no extended operation')
})

test('GetNCChanges errors become DRS_CALL_FAILED with the WERROR', async () => {
  const { client, transport } = await boundClient()
  transport.replies.set(DrsOpnum.getNcChanges, fakeGetNcChangesReply({ werror: 0x2105 }))
  await assert.rejects(client.getNcChanges({ nc: 'DC=x' }), failsWith('DRS_CALL_FAILED', 0x2105))
  const v1 = Buffer.alloc(100)
  v1.writeUInt32LE(1, 0)
  v1.writeUInt32LE(0x2105, 96)
  transport.replies.set(DrsOpnum.getNcChanges, v1)
  await assert.rejects(client.getNcChanges({ nc: 'DC=x' }), failsWith('DRS_CALL_FAILED', 0x2105))
  v1.writeUInt32LE(0, 96)
  await assert.rejects(client.getNcChanges({ nc: 'DC=x' }), failsWith('DRS_REPLY_UNSUPPORTED'))
  await assert.rejects(client.getNcChanges({}), failsWith('DRS_INVALID_REQUEST'))
})

test('unbind releases the handle once; later calls fail with DRS_NOT_BOUND', async () => {
  const { client, transport } = await boundClient()
  transport.replies.set(DrsOpnum.unbind, Buffer.alloc(24))
  await client.unbind()
  await client.unbind()
  assert.equal(transport.calls.filter((c) => c.opnum === DrsOpnum.unbind).length, 1)
  assert.deepEqual(transport.calls[1]?.stub, HANDLE)
  await assert.rejects(client.getNcChanges({ nc: 'DC=x' }), failsWith('DRS_NOT_BOUND'))
})

test('a partial attribute set goes with a schema signature: a placeholder first, then the DC’s', async () => {
  const { client, transport } = await boundClient()
  const dcSchemaInfo = Buffer.concat([Buffer.from([0xff, 0, 0, 0, 9]), Buffer.alloc(16, 0x5c)])
  transport.replies.set(
    DrsOpnum.getNcChanges,
    fakeGetNcChangesReply({ prefixTable: [{ index: 9, prefix: oidToBer('1.2.840.113556.1.4') }, { index: 0, prefix: dcSchemaInfo }] }),
  )
  const lastPrefixEntry = (stub: Buffer) => stub.subarray(stub.length - 21)
  await client.getNcChanges({ nc: 'DC=x', attributes: [AttributeOid.unicodePwd] })
  assert.deepEqual(lastPrefixEntry(transport.calls[1]!.stub), Buffer.concat([Buffer.from([0xff]), Buffer.alloc(20)]))
  await client.getNcChanges({ nc: 'DC=x', attributes: [AttributeOid.unicodePwd] })
  assert.deepEqual(lastPrefixEntry(transport.calls[2]!.stub), dcSchemaInfo)
  await client.getNcChanges({ nc: 'DC=x' })
  assert.equal(transport.calls[3]!.stub.readUInt32LE(128), 0, 'no partial attribute set')
  assert.notDeepEqual(lastPrefixEntry(transport.calls[3]!.stub), dcSchemaInfo, 'and no signature without one')
})
