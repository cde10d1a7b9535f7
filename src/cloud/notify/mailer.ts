/** @module Outbound email for password reset codes, over SMTP. */
import { createTransport, type Transporter } from 'nodemailer'
import { IdbridgeError, type Result } from '../../errors/idbridge-error.ts'

/** One plain-text email. The text may hold a one-time code, so it never goes to a log. */
export interface MailMessage {
  readonly to: string
  readonly subject: string
  readonly text: string
}

/**
 * The email seam. `send` resolves, never rejects: failures come back as IDB_ERR_MAIL_FAILED so the
 * reset flow can offer another method instead of failing the request.
 */
export interface Mailer {
  send(message: MailMessage): Promise<Result<void>>
}

/** Where and how {@link SmtpMailer} connects. */
export interface SmtpMailerOptions {
  readonly host: string
  readonly port: number
  /** TLS from the first byte (port 465); otherwise plain, upgraded by STARTTLS when offered. */
  readonly secure: boolean
  /** Refuse to send unless STARTTLS succeeds, for relays on 587 that must not see plain text. */
  readonly requireTLS?: boolean
  readonly auth?: { readonly user: string; readonly pass: string }
  /** The From address, e.g. `"Contoso IT" <no-reply@contoso.com>`. */
  readonly from: string
  /** Connection, greeting and socket timeouts; 10 s keeps a dead relay from holding the request. */
  readonly timeoutMs?: number
}

/** Sends through one SMTP relay, reusing nodemailer's transport across messages. */
export class SmtpMailer implements Mailer {
  readonly #from: string
  readonly #transport: Transporter

  constructor(options: SmtpMailerOptions) {
    const timeout = options.timeoutMs ?? 10_000
    this.#from = options.from
    this.#transport = createTransport({
      host: options.host,
      port: options.port,
      secure: options.secure,
      requireTLS: options.requireTLS ?? false,
      ...(options.auth ? { auth: { user: options.auth.user, pass: options.auth.pass } } : {}),
      connectionTimeout: timeout,
      greetingTimeout: timeout,
      socketTimeout: timeout,
      // nodemailer's own logging would print the message, and with it the code.
      logger: false,
      debug: false,
    })
  }

  async send(message: MailMessage): Promise<Result<void>> {
    try {
      await this.#transport.sendMail({ from: this.#from, to: message.to, subject: message.subject, text: message.text })
      return { ok: true, value: undefined }
    } catch (cause) {
      return { ok: false, error: new IdbridgeError('IDB_ERR_MAIL_FAILED', { detail: describe(cause) }) }
    }
  }

  /** Closes pooled connections; safe to call more than once. */
  close(): void {
    this.#transport.close()
  }
}

// Only the error code and the server's status line go into the detail: the full error object can
// carry the envelope and, on some failures, the message itself.
function describe(cause: unknown): string {
  if (!(cause instanceof Error)) return 'smtp send failed'
  const fields = cause as Error & { code?: unknown; responseCode?: unknown; response?: unknown }
  const parts = [typeof fields.code === 'string' ? fields.code : cause.name]
  // The reply line starts with the response code, so the code is added only when there is no reply.
  if (typeof fields.response === 'string') parts.push(fields.response.split(/\r?\n/)[0]!.slice(0, 200))
  else if (typeof fields.responseCode === 'number') parts.push(String(fields.responseCode))
  return `smtp send failed: ${parts.join(' ')}`
}
