import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { configSchema } from '../../config/config-schema.ts'
import { startMessageSink } from '../../lab/message-sink.ts'
import { createTestCloud } from '../web/test-cloud-app.ts'
import { configuredSenders } from './configured-senders.ts'

describe('configured mail and SMS senders', () => {
  it('fail with IDB_ERR_MAIL_FAILED / IDB_ERR_SMS_FAILED naming the key when nothing is configured', async () => {
    const { mailer, sms } = configuredSenders(configSchema.parse({}), undefined)
    const mail = await mailer.send({ to: 'a@b.test', subject: 's', text: 't' })
    assert.ok(!mail.ok && mail.error.code === 'IDB_ERR_MAIL_FAILED' && /sspr\.smtp/.test(mail.error.detail ?? ''))
    const text = await sms.send({ to: '+14255550100', text: 't' })
    assert.ok(!text.ok && text.error.code === 'IDB_ERR_SMS_FAILED' && /sspr\.smsWebhook/.test(text.error.detail ?? ''))
  })

  it('deliver to the lab sinks in lab mode', async () => {
    const sink = await startMessageSink({ host: '127.0.0.1' })
    try {
      const { mailer, sms } = configuredSenders(configSchema.parse({}), sink)
      assert.ok((await mailer.send({ to: 'a@b.test', subject: 'code', text: 'code 12345678' })).ok)
      assert.ok((await sms.send({ to: '+14255550100', text: 'code 87654321' })).ok)
      const got = sink.messages().map((m) => `${m.channel}:${m.to}:${m.text.trim()}`)
      assert.deepEqual(got, ['email:a@b.test:code 12345678', 'sms:+14255550100:code 87654321'])
    } finally {
      await sink.close()
    }
  })

  it('leave /lab unmounted outside lab mode, since that page shows reset codes', async () => {
    const cloud = await createTestCloud()
    try {
      assert.equal((await cloud.app.request('https://idbridge.test/lab/messages')).status, 404)
    } finally {
      await cloud.dispose()
    }
  })
})
