/** @module Framing over TCP: fragments split at any byte boundary come out whole; bad headers fail fast. */
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { type AddressInfo, type Socket, createServer } from 'node:net'
import { test } from 'node:test'
import { setTimeout as sleep } from 'node:timers/promises'
import { RpcError } from './rpc-error.ts'
import { encodeHeader } from './rpc-pdu.ts'
import { RpcSocket } from './rpc-socket.ts'

async function withServer(serve: (socket: Socket) => Promise<void>, run: (client: RpcSocket) => Promise<void>) {
  const server = createServer((socket) => void serve(socket).catch(() => socket.destroy()))
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const client = await RpcSocket.open('127.0.0.1', (server.address() as AddressInfo).port, 2_000)
  try {
    await run(client)
  } finally {
    await client.close()
    await new Promise((resolve) => server.close(resolve))
  }
}

const frame = (size: number, callId: number) =>
  Buffer.concat([encodeHeader({ type: 2, flags: 3, fragLength: size, authLength: 0, callId }), randomBytes(size - 16)])

test('fragments trickled byte by byte and in odd chunks arrive whole and in order', async () => {
  const frames = [frame(16, 1), frame(5840, 2), frame(65535, 3), frame(24, 4)]
  const wire = Buffer.concat(frames)
  await withServer(
    async (socket) => {
      socket.setNoDelay(true)
      let at = 0
      for (const size of [1, 1, 3, 5, 7, 13, 4096, 9, 70_000, 2]) {
        socket.write(wire.subarray(at, at + size))
        at += size
        await sleep(2)
      }
      socket.write(wire.subarray(at))
    },
    async (client) => {
      for (const f of frames) assert.deepEqual(await client.receive(2_000), f)
    },
  )
})

test('a header with a wrong version or a frag_length below 16 fails the connection as RPC_MALFORMED_PDU', async () => {
  for (const bad of [Buffer.from('04000203100000001800000001000000', 'hex'), Buffer.from('05000203100000000800000001000000', 'hex')]) {
    await withServer(
      async (socket) => void socket.write(bad),
      async (client) => {
        await assert.rejects(client.receive(2_000), (e) => RpcError.is(e) && e.code === 'RPC_MALFORMED_PDU')
      },
    )
  }
})

test('a frame that never completes is RPC_TIMEOUT, not a hang', async () => {
  await withServer(
    async (socket) => void socket.write(frame(100, 1).subarray(0, 50)),
    async (client) => {
      await assert.rejects(client.receive(150), (e) => RpcError.is(e) && e.code === 'RPC_TIMEOUT')
    },
  )
})
