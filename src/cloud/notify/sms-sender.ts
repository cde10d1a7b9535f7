/** @module Outbound SMS for password reset codes, through an HTTPS webhook that fronts any SMS gateway. */
import { IdbridgeError, type Result } from '../../errors/idbridge-error.ts'

/** One text message to an E.164 number. The text may hold a one-time code, so it never goes to a log. */
export interface SmsMessage {
  readonly to: string
  readonly text: string
}

/**
 * The SMS seam. `send` resolves, never rejects: failures come back as IDB_ERR_SMS_FAILED so the
 * reset flow can offer another method instead of failing the request.
 */
export interface SmsSender {
  send(message: SmsMessage): Promise<Result<void>>
}

/**
 * `+<country><number>` with separators and an extension removed, as Entra stores phones ("+1
 * 4251234567"; extensions are stripped, reference §3.2). Undefined unless the result is E.164:
 * a plus, a non-zero first digit and 8–15 digits in all.
 */
export function normalizePhone(input: string): string | undefined {
  const withoutExtension = input.replace(/\s*(?:;\s*ext=|ext\.?|extension|x|#)\s*\d+\s*$/i, '')
  const compact = withoutExtension.replace(/[\s().\-\u00a0]/g, '')
  return /^\+[1-9]\d{7,14}$/.test(compact) ? compact : undefined
}

/** Where {@link WebhookSmsSender} posts. */
export interface WebhookSmsSenderOptions {
  /** https; plain http only to a loopback address, for the lab's own webhook. */
  readonly url: string
  /** Sent as `Authorization: Bearer <token>` when set. */
  readonly bearerToken?: string
  readonly timeoutMs?: number
  /** Injected by tests; the global fetch otherwise. */
  readonly fetch?: typeof fetch
}

const LOOPBACK = /^(?:127(?:\.\d{1,3}){3}|localhost|\[::1\])$/

/** POSTs `{"to","text"}` as JSON and counts any 2xx answer as sent. */
export class WebhookSmsSender implements SmsSender {
  readonly #url: URL
  readonly #token: string | undefined
  readonly #timeoutMs: number
  readonly #fetch: typeof fetch

  constructor(options: WebhookSmsSenderOptions) {
    let url: URL
    try {
      url = new URL(options.url)
    } catch {
      throw new IdbridgeError('IDB_ERR_CONFIG_INVALID', { detail: 'SMS webhook url does not parse' })
    }
    // The body carries reset codes and the bearer token, so it may only cross the network encrypted.
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK.test(url.hostname))) {
      throw new IdbridgeError('IDB_ERR_CONFIG_INVALID', { detail: 'SMS webhook url must use https' })
    }
    this.#url = url
    this.#token = options.bearerToken
    this.#timeoutMs = options.timeoutMs ?? 10_000
    this.#fetch = options.fetch ?? fetch
  }

  async send(message: SmsMessage): Promise<Result<void>> {
    const to = normalizePhone(message.to)
    if (!to) return failed('the recipient is not an international (E.164) number')
    const headers: Record<string, string> = { 'content-type': 'application/json' }
    if (this.#token) headers.authorization = `Bearer ${this.#token}`
    let response: Response
    try {
      response = await this.#fetch(this.#url, {
        method: 'POST',
        headers,
        body: JSON.stringify({ to, text: message.text }),
        // A redirect would resend the token and code somewhere the admin did not configure.
        redirect: 'error',
        signal: AbortSignal.timeout(this.#timeoutMs),
      })
    } catch (cause) {
      const timedOut = cause instanceof Error && cause.name === 'TimeoutError'
      // The URL is left out of the detail: gateways often put an API key in its query.
      return failed(timedOut ? `no answer within ${this.#timeoutMs} ms` : 'the webhook could not be reached', cause)
    }
    await response.body?.cancel()
    if (!response.ok) return failed(`the webhook answered HTTP ${response.status}`)
    return { ok: true, value: undefined }
  }
}

function failed(detail: string, cause?: unknown): Result<void> {
  return { ok: false, error: new IdbridgeError('IDB_ERR_SMS_FAILED', { detail, cause }) }
}
