import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { after, before, describe, it } from 'node:test'
import WebSocket from 'ws'
import { type ChannelCloud, startChannelCloud, type TestAgent } from '../../agent/channel/channel-test-support.ts'
import { challengeText, signText } from '../../protocol/handshake-signature.ts'

type Frame = Record<string, unknown> & { type: string }

/** The hello a real agent sends: the challenge nonce signed for `origin` with the identity key. */
function helloFrame(key: TestAgent['key'], origin: string, nonce: unknown) {
  const { agentId } = key
  return {
    id: randomUUID(),
    type: 'hello',
    expiresAt: Date.now() + 30_000,
    agentId,
    origin,
    signature: signText(key.identityPrivateKey, challengeText({ origin, agentId, nonce: String(nonce) })),
    host: 'raw',
    version: 'test',
    purpose: 'serve',
  }
}

/** A hand-made agent that can send any frame, including ones the real client never would. */
async function rawAgent(env: ChannelCloud, agent: TestAgent) {
  const ws = new WebSocket(`${env.cloud.url.replace('https', 'wss')}/agent/connect`, { ca: env.ca })
  const inbox: Frame[] = []
  const waiters: (() => void)[] = []
  ws.on('message', (data) => {
    inbox.push(JSON.parse(String(data)))
    for (const w of waiters.splice(0)) w()
  })
  const next = async (type: string): Promise<Frame> => {
    const deadline = Date.now() + 3000
    for (;;) {
      const i = inbox.findIndex((f) => f.type === type)
      if (i >= 0) return inbox.splice(i, 1)[0]!
      if (Date.now() > deadline) throw new Error(`no ${type} frame within 3 s`)
      await new Promise<void>((resolve) => {
        waiters.push(resolve)
        setTimeout(resolve, 100)
      })
    }
  }
  const send = (frame: Record<string, unknown>) => ws.send(JSON.stringify(frame))
  const challenge = await next('challenge')
  const origin = new URL(env.cloud.url).origin
  send(helloFrame(agent.key, origin, challenge.nonce))
  await next('welcome')
  return { ws, next, send }
}

describe('the hub refusing replayed and expired frames', () => {
  let env: ChannelCloud
  let agent: TestAgent
  const handled: unknown[] = []
  before(async () => {
    env = await startChannelCloud()
    agent = await env.register()
    env.cloud.agents.onMessage('test.batch', async (_agent, body) => {
      handled.push(body)
      return { ok: true, value: { stored: true } }
    })
  })
  after(() => env.close())

  it('handles a message once, rejects its replay and an expired message, and logs each rejection', async () => {
    const raw = await rawAgent(env, agent)
    const message = { id: randomUUID(), type: 'message', expiresAt: Date.now() + 30_000, op: 'test.batch', body: { n: 1 } }
    raw.send(message)
    const first = await raw.next('response')
    assert.deepEqual([first.replyTo, first.ok, first.body], [message.id, true, { stored: true }])
    raw.send(message)
    const replay = await raw.next('response')
    assert.deepEqual([replay.replyTo, replay.ok, (replay.error as { code: string }).code], [message.id, false, 'IDB_ERR_CHANNEL_REPLAY'])
    const old = { ...message, id: randomUUID(), expiresAt: Date.now() - 1000, body: { n: 2 } }
    raw.send(old)
    const expired = await raw.next('response')
    assert.deepEqual([expired.replyTo, (expired.error as { code: string }).code], [old.id, 'IDB_ERR_CHANNEL_EXPIRED'])
    assert.deepEqual(handled, [{ n: 1 }], 'the handler ran once, for the fresh message only')
    const log = await env.logContaining('channel frame rejected: expired')
    assert.match(log, new RegExp(`"frameId":"${message.id}".*"verdict":"replay".*channel frame rejected: replay`))
    assert.match(log, new RegExp(`"frameId":"${old.id}".*"verdict":"expired"`))
    raw.ws.close()
  })

  it('refuses a hello signed for another origin', async () => {
    const ws = new WebSocket(`${env.cloud.url.replace('https', 'wss')}/agent/connect`, { ca: env.ca })
    const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)))
    const challenge = await new Promise<Frame>((resolve) => ws.once('message', (d) => resolve(JSON.parse(String(d)))))
    const origin = 'https://evil.example'
    ws.send(JSON.stringify(helloFrame(agent.key, origin, challenge.nonce)))
    assert.equal(await closed, 1008)
    assert.match(await env.logContaining('evil.example'), /signed for origin https:\/\/evil\.example/)
  })
})
