/**
 * @module The transport against the Samba lab DC: the endpoint mapper finds DRSUAPI, NTLMv2 at
 * packet privacy binds as the connector, and sealed IDL_DRSBind / IDL_DRSUnbind calls succeed. A
 * wrong password is tried against a throwaway account, never the shared connector, whose bad
 * password count other tests depend on.
 */
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { after, describe, test } from 'node:test'
import type { LabInfo } from '../../../lab/lab-info.ts'
import { testLab } from '../../../lab/lab-test-clients.ts'
import { connectorTestFixture } from '../../directory/connector-test-lab.ts'
import { findTcpPort } from './endpoint-mapper.ts'
import { DRSUAPI_INTERFACE, RpcError, type RpcCallTransport, connectRpc } from './rpc-connection.ts'
import { uuidToBytes } from '../ndr/ndr-writer.ts'

const NTDSAPI_CLIENT_GUID = 'e24d201a-4fd6-11d1-a3da-0000f875ae0d'
const DRS_BIND = 0
const DRS_UNBIND = 1
const DRS_CRACK_NAMES = 12

const u32 = (...values: number[]) => {
  const b = Buffer.alloc(4 * values.length)
  values.forEach((v, n) => b.writeUInt32LE(v >>> 0, 4 * n))
  return b
}

/** IDL_DRSCrackNames V1 from NT4 names (2) to DNs (1): big enough to fragment both ways. */
function crackNamesStub(handle: Buffer, names: readonly string[]): Buffer {
  const parts = [handle, u32(1, 1, 0, 0, 0, 2, 1, names.length, 0x00020000, names.length)]
  parts.push(u32(...names.map((_, n) => 0x00020004 + 4 * n)))
  for (const name of names) {
    const chars = Buffer.from(`${name}\0`, 'utf16le')
    parts.push(u32(name.length + 1, 0, name.length + 1), chars, Buffer.alloc((4 - (chars.length % 4)) % 4))
  }
  return Buffer.concat(parts)
}

/** IDL_DRSBind [in]: unique ptr to the client DSA GUID, unique ptr to DRS_EXTENSIONS (cb 0x30). */
function drsBindStub(): Buffer {
  const ext = Buffer.alloc(0x30) // DRS_EXTENSIONS_INT from dwFlags through ConfigObjGUID
  ext.writeUInt32LE(0x00000001 | 0x00000040) // DRS_EXT_BASE | DRS_EXT_RESTORE_USN_OPTIMIZATION
  const head = Buffer.alloc(4)
  head.writeUInt32LE(0x00020000) // referent id
  const ptr = Buffer.alloc(12)
  ptr.writeUInt32LE(0x00020004, 0) // referent id
  ptr.writeUInt32LE(ext.length, 4) // conformant array: max_count first
  ptr.writeUInt32LE(ext.length, 8) // cb
  return Buffer.concat([head, uuidToBytes(NTDSAPI_CLIENT_GUID), ptr, ext])
}

/** IDL_DRSBind [out]: ppextServer, then the 20-byte DRS_HANDLE, then the ULONG (a WERR). */
function parseDrsBindReply(stub: Buffer) {
  assert.ok(stub.length >= 28, `${stub.length}-byte reply`)
  const handle = stub.subarray(stub.length - 24, stub.length - 4)
  let serverExtensionsCb: number | undefined
  if (stub.readUInt32LE(0) !== 0) {
    assert.equal(stub.readUInt32LE(4), stub.readUInt32LE(8), 'max_count equals cb')
    serverExtensionsCb = stub.readUInt32LE(8)
    assert.equal(stub.length, 12 + ((serverExtensionsCb + 3) & ~3) + 24)
  }
  return { handle, werr: stub.readUInt32LE(stub.length - 4), serverExtensionsCb }
}

async function bindAndUnbind(transport: RpcCallTransport): Promise<void> {
  const bind = parseDrsBindReply(await transport.call(DRS_BIND, drsBindStub()))
  assert.equal(bind.werr, 0, 'DRSBind returned WERR 0')
  assert.equal(bind.handle.length, 20)
  assert.notDeepEqual(bind.handle.subarray(4), Buffer.alloc(16), 'a non-nil context handle')
  assert.ok((bind.serverExtensionsCb ?? 0) >= 0x1c, 'the DC sent its DRS_EXTENSIONS')
  const unbind = await transport.call(DRS_UNBIND, bind.handle)
  assert.equal(unbind.length, 24)
  assert.deepEqual(unbind.subarray(0, 20), Buffer.alloc(20), 'DRSUnbind zeroes the handle')
  assert.equal(unbind.readUInt32LE(20), 0)
}

/** DRSUAPI on the lab DC as the shared connector; without `port`, connectRpc asks the endpoint mapper. */
function connectAsConnector(lab: LabInfo, port?: number): Promise<RpcCallTransport> {
  return connectRpc({
    host: lab.address,
    port,
    interfaceId: DRSUAPI_INTERFACE,
    credentials: { domain: lab.netbiosDomain, username: lab.connector.username, password: lab.connector.password },
    timeoutMs: 10_000,
  })
}

describe('DCE/RPC over TCP with NTLMv2 packet privacy (Samba lab)', () => {
  const fixture = connectorTestFixture()
  after(() => fixture.cleanup())

  test('ept_map on port 135 finds DRSUAPI; DRSBind and DRSUnbind work sealed as the connector', async () => {
    const lab = await testLab()
    const port = await findTcpPort({ host: lab.address, interfaceId: DRSUAPI_INTERFACE, timeoutMs: 10_000 })
    assert.ok(Number.isInteger(port) && port > 0 && port !== 135, `port ${port}`)
    const transport = await connectAsConnector(lab, port)
    try {
      assert.equal(transport.sessionKey.length, 16)
      assert.notDeepEqual(transport.sessionKey, Buffer.alloc(16))
      await bindAndUnbind(transport)
    } finally {
      await transport.close()
    }
  })

  test('a 300-name DRSCrackNames goes out and comes back in many sealed fragments', async () => {
    const lab = await testLab()
    const transport = await connectAsConnector(lab)
    try {
      const bind = parseDrsBindReply(await transport.call(DRS_BIND, drsBindStub()))
      const names = Array.from({ length: 300 }, () => `${lab.netbiosDomain}\\${lab.connector.username}`)
      const request = crackNamesStub(bind.handle, names)
      assert.ok(request.length > 3 * 5840, `${request.length}-byte request`)
      const reply = await transport.call(DRS_CRACK_NAMES, request)
      assert.ok(reply.length > 5 * 5840, `${reply.length}-byte reply`)
      assert.deepEqual([reply.readUInt32LE(0), reply.readUInt32LE(12)], [1, names.length], 'version 1, cItems')
      assert.equal(reply.readUInt32LE(reply.length - 4), 0, 'WERR 0')
      const text = reply.toString('utf16le').toLowerCase() // the strings are 4-byte aligned, so this decodes them
      assert.ok(text.includes(lab.connector.dn.toLowerCase()), 'the connector DN is in the reply')
      await transport.call(DRS_UNBIND, bind.handle)
    } finally {
      await transport.close()
    }
  })

  test('without a port, connectRpc asks the endpoint mapper itself', async () => {
    const lab = await testLab()
    const transport = await connectAsConnector(lab)
    try {
      await bindAndUnbind(transport)
    } finally {
      await transport.close()
    }
  })

  test('a wrong password is RPC_AUTH_FAILED within seconds, and the error does not contain it', async () => {
    const t = await fixture.get()
    const password = `Rpc-${randomBytes(6).toString('hex')}-aA1!`
    const dn = await t.addUser('Rpc Wrongpass', { ou: t.outOu, password })
    const { searchEntries } = await t.admin.search(dn, { scope: 'base', attributes: ['sAMAccountName'] })
    const username = String(searchEntries[0]!.sAMAccountName)
    const attempt = async (pw: string) => {
      const transport = await connectRpc({
        host: t.lab.address,
        interfaceId: DRSUAPI_INTERFACE,
        credentials: { domain: t.lab.netbiosDomain, username, password: pw },
        timeoutMs: 10_000,
      })
      try {
        await bindAndUnbind(transport)
      } finally {
        await transport.close()
      }
    }
    await attempt(password) // the account itself works
    const wrong = `Wr0ng-${randomBytes(6).toString('hex')}`
    const started = Date.now()
    await assert.rejects(attempt(wrong), (e) => {
      assert.ok(RpcError.is(e), String(e))
      assert.equal(e.code, 'RPC_AUTH_FAILED', e.message)
      assert.doesNotMatch(`${e.message} ${JSON.stringify(e.data)}`, new RegExp(wrong))
      return true
    })
    assert.ok(Date.now() - started < 10_000, 'no hang')
  })
})
