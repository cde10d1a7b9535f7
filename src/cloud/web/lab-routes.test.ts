import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { Hono } from 'hono'
import { IdbridgeError } from '../../errors/idbridge-error.ts'
import type { SinkMessage } from '../../lab/message-sink.ts'
import { labRoutes } from './lab-routes.tsx'

function fakeSink() {
  const kept: SinkMessage[] = [
    {
      channel: 'email',
      to: 'ada@contoso.test',
      subject: 'Your code',
      text: 'Code 12345678',
      receivedAt: Date.UTC(2026, 0, 1, 9),
    },
  ]
  let now = Date.UTC(2026, 0, 1, 10)
  return {
    kept,
    messages: () => kept.map((m) => ({ ...m })),
    recordSms: (to: string, text: string) => void kept.push({ channel: 'sms', to, text, receivedAt: now++ }),
  }
}

function appFor(sink: ReturnType<typeof fakeSink>) {
  const app = new Hono()
  app.onError((err, c) =>
    IdbridgeError.is(err) ? c.json({ code: err.code }, err.status as 400) : c.json({ code: 'internal' }, 500),
  )
  app.route('/lab', labRoutes(sink))
  return app
}

const postSms = (app: Hono, body: string) =>
  app.request('/lab/sms', { method: 'POST', headers: { 'content-type': 'application/json' }, body })

describe('lab routes', () => {
  it('records an SMS posted as JSON', async () => {
    const sink = fakeSink()
    const res = await postSms(appFor(sink), JSON.stringify({ to: '+14251234567', text: 'Code 87654321' }))
    assert.equal(res.status, 204)
    assert.deepEqual(sink.kept.at(-1), {
      channel: 'sms',
      to: '+14251234567',
      text: 'Code 87654321',
      receivedAt: Date.UTC(2026, 0, 1, 10),
    })
  })

  it('refuses malformed and incomplete SMS bodies', async () => {
    const sink = fakeSink()
    const app = appFor(sink)
    assert.deepEqual(await (await postSms(app, '{')).json(), { code: 'IDB_ERR_MALFORMED_JSON' })
    for (const body of [{}, { to: '+1425', text: '' }, { to: 'x'.repeat(33), text: 'hi' }]) {
      const res = await postSms(app, JSON.stringify(body))
      assert.equal(res.status, 400)
      assert.deepEqual(await res.json(), { code: 'IDB_ERR_INVALID_INPUT' })
    }
    assert.equal(sink.kept.length, 1)
  })

  it('lists messages newest first, escaped, on a server-rendered page', async () => {
    const sink = fakeSink()
    const app = appFor(sink)
    await postSms(app, JSON.stringify({ to: '+14251234567', text: '<script>alert(1)</script> Code 87654321' }))
    const res = await app.request('/lab/messages')
    assert.equal(res.status, 200)
    assert.match(res.headers.get('content-type') ?? '', /text\/html/)
    assert.equal(res.headers.get('cache-control'), 'no-store')
    const html = await res.text()
    assert.match(html, /<title>Lab messages – idbridge<\/title>/)
    assert.match(html, /<h1>Lab messages<\/h1>/)
    assert.ok(!html.includes('<script>'))
    assert.ok(html.includes('&lt;script&gt;alert(1)&lt;/script&gt; Code 87654321'))
    const sms = html.indexOf('+14251234567')
    const email = html.indexOf('ada@contoso.test')
    assert.ok(sms > 0 && email > sms, 'newest first')
    for (const text of ['Your code', 'Code 12345678', '2026-01-01 09:00:00', 'datetime="2026-01-01T10:00:00.000Z"']) {
      assert.ok(html.includes(text), text)
    }
    for (const header of ['Channel', 'To', 'Subject', 'Text', 'Time']) {
      assert.ok(html.includes(`<th scope="col">${header}</th>`), header)
    }
  })

  it('says so when nothing was caught yet', async () => {
    const html = await (await appFor({ ...fakeSink(), messages: () => [] }).request('/lab/messages')).text()
    assert.match(html, /No messages yet/)
    assert.ok(!html.includes('<table'))
  })
})
