/**
 * @module connectRpc against the loopback fake server: NTLMv2 at packet privacy, fragmentation
 * both ways, serialized calls, and every failure as its typed error, never a hang.
 */
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { createServer } from 'node:net'
import { after, test } from 'node:test'
import { type FakeServerOptions, FakeRpcServer } from './fake-rpc-server.ts'
import { DRSUAPI_INTERFACE, RpcError, type RpcErrorCode, connectRpc } from './rpc-connection.ts'

const credentials = { domain: 'CONTOSO', username: 'svc-test', password: `Pw-${randomBytes(6).toString('hex')}` }
const servers: FakeRpcServer[] = []
after(() => Promise.all(servers.map((s) => s.close())))

async function connect(options: FakeServerOptions = {}, password = credentials.password) {
  const server = await FakeRpcServer.start({ credentials, ...options })
  servers.push(server)
  const transport = await connectRpc({
    host: '127.0.0.1',
    port: server.port,
    interfaceId: DRSUAPI_INTERFACE,
    credentials: { ...credentials, password },
    timeoutMs: 5_000,
  })
  return { server, transport }
}

const code = (expected: RpcErrorCode) => (e: unknown) => {
  assert.ok(RpcError.is(e), `expected RpcError, got ${String(e)}`)
  assert.equal(e.code, expected, e.message)
  return true
}

test('a sealed round trip; the session key is the one the server recovered', async () => {
  const { server, transport } = await connect({ handler: (opnum, stub) => Buffer.concat([Buffer.from([opnum]), stub]) })
  const reply = await transport.call(7, Buffer.from('hello drsuapi'))
  assert.equal(reply.toString('latin1'), '\x07hello drsuapi')
  assert.equal(transport.sessionKey.length, 16)
  assert.deepEqual(transport.sessionKey, server.sessionKeys[0])
  assert.deepEqual(await transport.call(0, Buffer.alloc(0)), Buffer.from([0]), 'an empty stub works too')
  await transport.close()
})

test('large requests go out in fragments within max_recv_frag; large responses are reassembled', async () => {
  const { server, transport } = await connect({ maxFrag: 1024 })
  const big = randomBytes(50_000)
  assert.deepEqual(await transport.call(3, big), big)
  const seen = server.requests[0]!
  assert.deepEqual(seen.stub, big)
  assert.ok(seen.fragmentLengths.length >= 50, `${seen.fragmentLengths.length} fragments`)
  assert.ok(seen.fragmentLengths.every((n) => n <= 1024))
  await transport.close()
})

test('concurrent calls are serialized and all verify', async () => {
  const { transport } = await connect({ maxFrag: 2048 })
  const stubs = Array.from({ length: 8 }, (_, n) => randomBytes(n * 1500 + 1))
  assert.deepEqual(await Promise.all(stubs.map((s, n) => transport.call(n, s))), stubs)
  await transport.close()
})

test('a fault is RPC_FAULT with the status in hex, and the connection stays usable', async () => {
  const { transport } = await connect({ handler: (opnum, stub) => (opnum === 99 ? { fault: 0x1c010002 } : stub) })
  await transport.call(1, Buffer.from('warm up'))
  await assert.rejects(transport.call(99, Buffer.from('x')), (e) => {
    code('RPC_FAULT')(e)
    assert.equal((e as RpcError).data?.statusHex, '0x1c010002')
    assert.match((e as Error).message, /0x1c010002.*op_rng_error/)
    return true
  })
  assert.deepEqual(await transport.call(1, Buffer.from('after')), Buffer.from('after'))
  await transport.close()
})

test('a wrong password is RPC_AUTH_FAILED on the first call, and the password is not in the error', async () => {
  const wrong = `Wrong-${randomBytes(6).toString('hex')}`
  const { transport } = await connect({}, wrong)
  await assert.rejects(transport.call(0, Buffer.from('x')), (e) => {
    code('RPC_AUTH_FAILED')(e)
    assert.doesNotMatch(JSON.stringify({ m: (e as Error).message, d: (e as RpcError).data }), new RegExp(wrong))
    return true
  })
  await transport.close()
})

test('bind_nak and a rejected presentation context are RPC_BIND_REJECTED', async () => {
  await assert.rejects(connect({ behavior: 'bind-nak' }), code('RPC_BIND_REJECTED'))
  await assert.rejects(connect({ behavior: 'reject-context' }), code('RPC_BIND_REJECTED'))
})

test('silence is RPC_TIMEOUT within the call deadline, then the connection refuses further calls', async () => {
  const { transport } = await connect({ behavior: 'silent' })
  const started = Date.now()
  await assert.rejects(transport.call(0, Buffer.from('x'), { timeoutMs: 200 }), code('RPC_TIMEOUT'))
  assert.ok(Date.now() - started < 2_000)
  await assert.rejects(transport.call(0, Buffer.from('y')), code('RPC_CONNECTION_CLOSED'))
  await transport.close()
})

test('a tampered response is RPC_INTEGRITY_FAILED; garbage is RPC_MALFORMED_PDU', async () => {
  const tampered = await connect({ behavior: 'tamper' })
  await assert.rejects(tampered.transport.call(0, Buffer.from('x')), code('RPC_INTEGRITY_FAILED'))
  const garbage = await connect({ behavior: 'garbage' })
  await assert.rejects(garbage.transport.call(0, Buffer.from('x')), code('RPC_MALFORMED_PDU'))
})

test('a connection dropped during a later call is RPC_CONNECTION_CLOSED', async () => {
  const { transport } = await connect({ behavior: 'close-on-call' })
  await transport.call(0, Buffer.from('first'))
  await assert.rejects(transport.call(0, Buffer.from('second')), code('RPC_CONNECTION_CLOSED'))
})

test('nothing listening is RPC_UNREACHABLE; bad arguments are RPC_INVALID_ARGUMENT', async () => {
  const probe = createServer()
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve))
  const port = (probe.address() as { port: number }).port
  await new Promise((resolve) => probe.close(resolve))
  const options = { host: '127.0.0.1', port, interfaceId: DRSUAPI_INTERFACE, credentials, timeoutMs: 2_000 }
  await assert.rejects(connectRpc(options), code('RPC_UNREACHABLE'))
  await assert.rejects(connectRpc({ ...options, port: 70_000 }), code('RPC_INVALID_ARGUMENT'))
  await assert.rejects(connectRpc({ ...options, interfaceId: { uuid: 'drsuapi', version: [4, 0] } }), code('RPC_INVALID_ARGUMENT'))
})
