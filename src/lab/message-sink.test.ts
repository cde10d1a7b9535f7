import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { createTransport } from 'nodemailer'
import { SmtpMailer } from '../cloud/notify/mailer.ts'
import { ManualClock } from '../time/clock.ts'
import { type MessageSink, startMessageSink } from './message-sink.ts'

describe('lab message sink', () => {
  const clock = new ManualClock(Date.UTC(2026, 3, 1))
  let sink: MessageSink
  let mailer: SmtpMailer
  before(async () => {
    sink = await startMessageSink({ host: '127.0.0.1', clock })
    const from = 'idbridge <no-reply@lab.test>'
    mailer = new SmtpMailer({ host: '127.0.0.1', port: sink.smtpPort, secure: false, from })
  })
  after(async () => {
    mailer.close()
    await sink.close()
  })

  it('listens on a free port', () => {
    assert.ok(sink.smtpPort > 0)
  })

  it('catches mail sent through SmtpMailer', async () => {
    const sent = await mailer.send({ to: 'ada@contoso.test', subject: 'Your code', text: 'Your code is 12345678.' })
    assert.deepEqual(sent, { ok: true, value: undefined })
    const last = sink.messages().at(-1)
    assert.deepEqual(last, {
      channel: 'email',
      to: 'ada@contoso.test',
      subject: 'Your code',
      text: 'Your code is 12345678.',
      receivedAt: clock.now(),
    })
  })

  it('decodes non-ASCII subjects and bodies and keeps line breaks', async () => {
    const text = `Grüße, Zoë!\nIhr Code lautet 87654321.\n${'Lange Zeile '.repeat(20)}€`
    const sent = await mailer.send({ to: 'zoe@contoso.test', subject: 'Zurücksetzen – Ihr Code', text })
    assert.ok(sent.ok)
    const last = sink.messages().at(-1)
    assert.equal(last?.subject, 'Zurücksetzen – Ihr Code')
    assert.equal(last?.text, text.trimEnd())
  })

  it('reads the text part of a multipart message in base64', async () => {
    const boundary = 'b1'
    const raw = [
      'From: other@lab.test',
      'To: "Ada L." <ada@contoso.test>',
      'Subject: =?UTF-8?B?Q29kZSDinJM=?=',
      `Content-Type: multipart/alternative; boundary="${boundary}"`,
      '',
      `--${boundary}`,
      'Content-Type: text/plain; charset=utf-8',
      'Content-Transfer-Encoding: base64',
      '',
      Buffer.from('Code 24681357 ✓').toString('base64'),
      `--${boundary}`,
      'Content-Type: text/html',
      '',
      '<p>Code</p>',
      `--${boundary}--`,
      '',
    ].join('\r\n')
    const transport = createTransport({ host: '127.0.0.1', port: sink.smtpPort, secure: false })
    await transport.sendMail({ envelope: { from: 'other@lab.test', to: ['ada@contoso.test'] }, raw })
    transport.close()
    const last = sink.messages().at(-1)
    assert.equal(last?.to, 'ada@contoso.test')
    assert.equal(last?.subject, 'Code ✓')
    assert.equal(last?.text, 'Code 24681357 ✓')
  })

  it('refuses mail over 64 KB and the mailer reports IDB_ERR_MAIL_FAILED', async () => {
    const before = sink.messages().length
    const sent = await mailer.send({ to: 'ada@contoso.test', subject: 'big', text: 'x'.repeat(70 * 1024) })
    assert.ok(!sent.ok)
    assert.equal(sent.error.code, 'IDB_ERR_MAIL_FAILED')
    assert.match(sent.error.detail ?? '', /552/)
    assert.equal(sink.messages().length, before)
  })

  it('records SMS and keeps only the last 200 messages', () => {
    sink.recordSms('+14251234567', 'Your code is 11112222')
    assert.deepEqual(sink.messages().at(-1), {
      channel: 'sms',
      to: '+14251234567',
      text: 'Your code is 11112222',
      receivedAt: clock.now(),
    })
    for (let i = 0; i < 210; i++) sink.recordSms('+14251234567', `message ${i}`)
    const messages = sink.messages()
    assert.equal(messages.length, 200)
    assert.equal(messages.at(-1)?.text, 'message 209')
    assert.equal(messages[0]?.text, 'message 10')
  })

  it('hands out copies, so callers cannot edit what it caught', () => {
    const copy = sink.messages()
    copy.length = 0
    assert.equal(sink.messages().length, 200)
  })

  it('reports an unreachable relay as IDB_ERR_MAIL_FAILED without the message text', async () => {
    const other = await startMessageSink({ host: '127.0.0.1' })
    const port = other.smtpPort
    await other.close()
    const dead = new SmtpMailer({ host: '127.0.0.1', port, secure: false, from: 'no-reply@lab.test' })
    const sent = await dead.send({ to: 'ada@contoso.test', subject: 's', text: 'Your code is 99990000' })
    assert.ok(!sent.ok)
    assert.equal(sent.error.code, 'IDB_ERR_MAIL_FAILED')
    assert.ok(!String(sent.error.detail).includes('99990000'))
  })

  it('refuses to listen on a non-loopback address', async () => {
    await assert.rejects(startMessageSink({ host: '0.0.0.0' }), /not a loopback/)
  })
})
