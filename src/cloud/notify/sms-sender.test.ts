import assert from 'node:assert/strict'
import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { after, before, describe, it } from 'node:test'
import { MemoryMailer } from './memory-mailer.ts'
import { MemorySmsSender } from './memory-sms-sender.ts'
import { normalizePhone, WebhookSmsSender } from './sms-sender.ts'

describe('normalizePhone', () => {
  it('strips separators and extensions', () => {
    assert.equal(normalizePhone('+1 4251234567 x12'), '+14251234567')
    assert.equal(normalizePhone('+1 (425) 123-4567 ext. 99'), '+14251234567')
    assert.equal(normalizePhone('+44 20 7946 0958;ext=3'), '+442079460958')
    assert.equal(normalizePhone('+49.30.1234567 extension 7'), '+49301234567')
    assert.equal(normalizePhone('+14251234567'), '+14251234567')
  })

  it('refuses numbers that are not E.164', () => {
    for (const bad of ['4251234567', '+0 4251234567', '+1 425', '+1 4251234567890123', '+1 425 CALL ME', '', 'x12']) {
      assert.equal(normalizePhone(bad), undefined, bad)
    }
  })
})

describe('WebhookSmsSender', () => {
  let server: Server
  let url: string
  let status = 200
  let delayMs = 0
  const received: { body: unknown; authorization: string | undefined }[] = []
  before(async () => {
    server = createServer(async (req: IncomingMessage, res) => {
      let text = ''
      for await (const chunk of req) text += chunk
      received.push({ body: JSON.parse(text), authorization: req.headers.authorization })
      setTimeout(() => res.writeHead(status).end('{}'), delayMs)
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/sms`
  })
  after(() => {
    server.closeAllConnections()
    server.close()
  })

  it('posts {to, text} as JSON with the bearer token', async () => {
    const sender = new WebhookSmsSender({ url, bearerToken: 'lab-token' })
    const result = await sender.send({ to: '+1 4251234567 x12', text: 'Your code is 12345678' })
    assert.deepEqual(result, { ok: true, value: undefined })
    assert.deepEqual(received.at(-1), {
      body: { to: '+14251234567', text: 'Your code is 12345678' },
      authorization: 'Bearer lab-token',
    })
  })

  it('sends no authorization header without a token', async () => {
    await new WebhookSmsSender({ url }).send({ to: '+14251234567', text: 'hi' })
    assert.equal(received.at(-1)?.authorization, undefined)
  })

  it('reports a non-2xx answer as IDB_ERR_SMS_FAILED', async () => {
    status = 503
    const result = await new WebhookSmsSender({ url }).send({ to: '+14251234567', text: 'Your code is 12345678' })
    status = 200
    assert.ok(!result.ok)
    assert.equal(result.error.code, 'IDB_ERR_SMS_FAILED')
    assert.match(result.error.detail ?? '', /HTTP 503/)
    assert.ok(!String(result.error.detail).includes('12345678'))
  })

  it('gives up after the timeout', async () => {
    delayMs = 500
    const result = await new WebhookSmsSender({ url, timeoutMs: 100 }).send({ to: '+14251234567', text: 'x' })
    delayMs = 0
    assert.ok(!result.ok)
    assert.match(result.error.detail ?? '', /no answer within 100 ms/)
  })

  it('reports an unreachable webhook and a bad number without calling out', async () => {
    const dead = await new WebhookSmsSender({ url: 'http://127.0.0.1:1/sms' }).send({ to: '+14251234567', text: 'x' })
    assert.ok(!dead.ok)
    assert.match(dead.error.detail ?? '', /could not be reached/)
    const count = received.length
    const bad = await new WebhookSmsSender({ url }).send({ to: '4251234567', text: 'x' })
    assert.ok(!bad.ok)
    assert.equal(bad.error.code, 'IDB_ERR_SMS_FAILED')
    assert.equal(received.length, count)
  })

  it('needs https except on loopback', () => {
    for (const bad of ['http://sms.example.com/hook', 'ftp://127.0.0.1/x', 'not a url']) {
      assert.throws(() => new WebhookSmsSender({ url: bad }), /IDB_ERR_CONFIG_INVALID/)
    }
    assert.doesNotThrow(() => new WebhookSmsSender({ url: 'https://sms.example.com/hook' }))
    assert.doesNotThrow(() => new WebhookSmsSender({ url: 'http://localhost:8080/lab/sms' }))
  })
})

describe('memory senders', () => {
  it('keep what they send, or fail on request', async () => {
    const mailer = new MemoryMailer()
    assert.ok((await mailer.send({ to: 'a@b.test', subject: 's', text: 't' })).ok)
    assert.deepEqual(mailer.sent, [{ to: 'a@b.test', subject: 's', text: 't' }])
    mailer.failing = true
    const mailFailure = await mailer.send({ to: 'a@b.test', subject: 's', text: 't' })
    assert.ok(!mailFailure.ok && mailFailure.error.code === 'IDB_ERR_MAIL_FAILED')

    const sms = new MemorySmsSender()
    assert.ok((await sms.send({ to: '+14251234567', text: 't' })).ok)
    assert.deepEqual(sms.sent, [{ to: '+14251234567', text: 't' }])
    sms.failing = true
    const smsFailure = await sms.send({ to: '+14251234567', text: 't' })
    assert.ok(!smsFailure.ok && smsFailure.error.code === 'IDB_ERR_SMS_FAILED')
    assert.equal(sms.sent.length, 1)
  })
})
