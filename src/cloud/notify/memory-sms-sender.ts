/** @module Test support: an SMS sender that keeps what it was asked to send. */
import { IdbridgeError, type Result } from '../../errors/idbridge-error.ts'
import type { SmsMessage, SmsSender } from './sms-sender.ts'

/** Keeps every message in `sent`, oldest first; set `failing` to exercise the flow's fallback. */
export class MemorySmsSender implements SmsSender {
  readonly sent: SmsMessage[] = []
  failing = false

  async send(message: SmsMessage): Promise<Result<void>> {
    if (this.failing) {
      return { ok: false, error: new IdbridgeError('IDB_ERR_SMS_FAILED', { detail: 'memory SMS sender set to fail' }) }
    }
    this.sent.push({ ...message })
    return { ok: true, value: undefined }
  }
}
