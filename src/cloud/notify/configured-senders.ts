/** @module The mail and SMS senders the configuration asks for: a real relay, the lab sinks, or none. */
import { readFileSync } from 'node:fs'
import type { IdbridgeConfig } from '../../config/config-schema.ts'
import { IdbridgeError, type Result } from '../../errors/idbridge-error.ts'
import type { MessageSink } from '../../lab/message-sink.ts'
import { type Mailer, SmtpMailer } from './mailer.ts'
import { type SmsSender, WebhookSmsSender } from './sms-sender.ts'

const secretFrom = (file: string) => readFileSync(file, 'utf8').replace(/\r?\n$/, '')

/** Tells the admin, through the log and the gate page's fallback, that no relay is configured. */
const unconfigured = (code: 'IDB_ERR_MAIL_FAILED' | 'IDB_ERR_SMS_FAILED', key: string) => ({
  async send(): Promise<Result<void>> {
    return { ok: false, error: new IdbridgeError(code, { detail: `${key} is not configured` }) }
  },
})

export function configuredSenders(
  config: IdbridgeConfig,
  lab: MessageSink | undefined,
): { mailer: Mailer; sms: SmsSender } {
  const { smtp, smsWebhook } = config.sspr
  const from = `"${config.tenant.displayName}" <no-reply@${config.tenant.domain}>`
  const mailer: Mailer = smtp
    ? new SmtpMailer({
        host: smtp.host,
        port: smtp.port,
        secure: smtp.secure,
        from: smtp.from,
        ...(smtp.user ? { auth: { user: smtp.user, pass: smtp.passwordFile ? secretFrom(smtp.passwordFile) : '' } } : {}),
      })
    : lab
      ? new SmtpMailer({ host: '127.0.0.1', port: lab.smtpPort, secure: false, from })
      : unconfigured('IDB_ERR_MAIL_FAILED', 'sspr.smtp')
  const sms: SmsSender = smsWebhook
    ? new WebhookSmsSender({
        url: smsWebhook.url,
        ...(smsWebhook.tokenFile ? { bearerToken: secretFrom(smsWebhook.tokenFile) } : {}),
      })
    : lab
      ? {
          async send(message) {
            lab.recordSms(message.to, message.text)
            return { ok: true, value: undefined }
          },
        }
      : unconfigured('IDB_ERR_SMS_FAILED', 'sspr.smsWebhook')
  return { mailer, sms }
}
