/** @module Test support: a mailer that keeps what it was asked to send. */
import { IdbridgeError, type Result } from '../../errors/idbridge-error.ts'
import type { MailMessage, Mailer } from './mailer.ts'

/** Keeps every message in `sent`, oldest first; set `failing` to exercise the flow's fallback. */
export class MemoryMailer implements Mailer {
  readonly sent: MailMessage[] = []
  failing = false

  async send(message: MailMessage): Promise<Result<void>> {
    if (this.failing) {
      return { ok: false, error: new IdbridgeError('IDB_ERR_MAIL_FAILED', { detail: 'memory mailer set to fail' }) }
    }
    this.sent.push({ ...message })
    return { ok: true, value: undefined }
  }
}
