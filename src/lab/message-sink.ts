/** @module Lab mode sinks: a local SMTP server and an SMS store that catch reset codes for the lab page. */
import type { AddressInfo } from 'node:net'
import { SMTPServer } from 'smtp-server'
import { type Clock, systemClock } from '../time/clock.ts'

/** One caught message, as the lab messages page lists it. */
export interface SinkMessage {
  readonly channel: 'email' | 'sms'
  readonly to: string
  readonly subject?: string
  readonly text: string
  /** Epoch milliseconds. */
  readonly receivedAt: number
}

/** The running sinks. Point the SMTP mailer at `smtpPort` and the SMS webhook at a route calling `recordSms`. */
export interface MessageSink {
  readonly smtpPort: number
  /** Oldest first, at most the last 200. */
  messages(): SinkMessage[]
  recordSms(to: string, text: string): void
  close(): Promise<void>
}

/** Where to listen. Loopback only: the sink has no authentication and shows everything it catches. */
export interface MessageSinkOptions {
  readonly host: string
  /** 0, the default, picks a free port. */
  readonly port?: number
  readonly clock?: Clock
}

const KEEP = 200
const MAX_BYTES = 64 * 1024
const LOOPBACK = /^(?:127(?:\.\d{1,3}){3}|::1|localhost)$/

export async function startMessageSink(options: MessageSinkOptions): Promise<MessageSink> {
  if (!LOOPBACK.test(options.host)) throw new Error(`message sink: ${options.host} is not a loopback address`)
  const clock = options.clock ?? systemClock
  const kept: SinkMessage[] = []
  const keep = (message: SinkMessage) => {
    kept.push(message)
    if (kept.length > KEEP) kept.splice(0, kept.length - KEEP)
  }

  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    size: MAX_BYTES,
    logger: false,
    banner: 'idbridge lab message sink',
    onData(stream, session, callback) {
      const chunks: Buffer[] = []
      let length = 0
      stream.on('data', (chunk: Buffer) => {
        length += chunk.length
        if (length <= MAX_BYTES) chunks.push(chunk)
      })
      stream.on('error', (err) => callback(err))
      stream.on('end', () => {
        if (stream.sizeExceeded) {
          callback(Object.assign(new Error('message exceeds the 64 KB limit'), { responseCode: 552 }))
          return
        }
        const mail = parseMail(Buffer.concat(chunks).toString('latin1'))
        // The envelope names the recipients exactly; the To header may be display text or Bcc-less.
        const to = session.envelope.rcptTo.map((r) => r.address).join(', ') || mail.to
        keep({ channel: 'email', to, subject: mail.subject, text: mail.text, receivedAt: clock.now() })
        callback()
      })
    },
  })
  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject)
    server.listen(options.port ?? 0, options.host, () => {
      server.server.off('error', reject)
      resolve()
    })
  })
  const smtpPort = (server.server.address() as AddressInfo).port

  return {
    smtpPort,
    messages: () => kept.map((m) => ({ ...m })),
    recordSms: (to, text) => keep({ channel: 'sms', to, text, receivedAt: clock.now() }),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}

// A minimal MIME reader: enough for what nodemailer sends (plain text, maybe multipart, QP or base64).
// Strings are handled as latin1 so each char is one byte until the charset is known.

function splitEntity(raw: string): { headers: Map<string, string>; body: string } {
  const gap = /\r?\n\r?\n/.exec(raw)
  const head = gap ? raw.slice(0, gap.index) : raw
  const body = gap ? raw.slice(gap.index + gap[0].length) : ''
  const headers = new Map<string, string>()
  for (const line of head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const colon = line.indexOf(':')
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim())
  }
  return { headers, body }
}

function param(header: string | undefined, name: string): string | undefined {
  const m = new RegExp(`;\\s*${name}\\s*=\\s*(?:"([^"]*)"|([^;\\s]+))`, 'i').exec(header ?? '')
  return m ? (m[1] ?? m[2]) : undefined
}

function decodeBytes(bytes: string, charset = 'utf-8'): string {
  const buffer = Buffer.from(bytes, 'latin1')
  try {
    return new TextDecoder(charset).decode(buffer)
  } catch {
    return buffer.toString('utf8')
  }
}

function decodeQuotedPrintable(text: string): string {
  return text
    .replace(/=\r?\n/g, '')
    .replace(/=([0-9A-Fa-f]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)))
}

/** RFC 2047 encoded words, as nodemailer writes non-ASCII subjects. */
function decodeHeader(value: string): string {
  return decodeBytes(value)
    .replace(/(=\?[^?]+\?[BbQq]\?[^?]*\?=)\s+(?==\?)/g, '$1')
    .replace(/=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g, (_, charset: string, kind: string, data: string) =>
      kind.toUpperCase() === 'B'
        ? decodeBytes(Buffer.from(data, 'base64').toString('latin1'), charset)
        : decodeBytes(decodeQuotedPrintable(data.replace(/_/g, ' ')), charset),
    )
}

function bodyText(headers: Map<string, string>, body: string, depth = 0): string {
  const type = headers.get('content-type') ?? 'text/plain'
  const boundary = param(type, 'boundary')
  if (/^multipart\//i.test(type) && boundary && depth < 3) {
    const parts = body.split(`--${boundary}`).slice(1, -1)
    const entities = parts.map((part) => splitEntity(part.replace(/^\r?\n/, '')))
    const plain = entities.find((e) => /^text\/plain/i.test(e.headers.get('content-type') ?? 'text/plain'))
    const chosen = plain ?? entities[0]
    return chosen ? bodyText(chosen.headers, chosen.body, depth + 1) : ''
  }
  const encoding = (headers.get('content-transfer-encoding') ?? '7bit').toLowerCase()
  const bytes =
    encoding === 'base64'
      ? Buffer.from(body.replace(/\s/g, ''), 'base64').toString('latin1')
      : encoding === 'quoted-printable'
        ? decodeQuotedPrintable(body)
        : body
  return decodeBytes(bytes, param(type, 'charset')).replace(/\r\n/g, '\n').trimEnd()
}

function parseMail(raw: string): { to: string; subject: string; text: string } {
  const { headers, body } = splitEntity(raw)
  return {
    to: decodeHeader(headers.get('to') ?? ''),
    subject: decodeHeader(headers.get('subject') ?? ''),
    text: bodyText(headers, body),
  }
}
