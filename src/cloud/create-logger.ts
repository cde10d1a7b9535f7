/** @module pino with redaction of every field that could carry a secret. */
import { mkdirSync } from 'node:fs'
import path from 'node:path'
import pino, { type DestinationStream, type Logger } from 'pino'

// Defence in depth: code never logs these, and if it ever did, pino blanks them.
export const redactedPaths = [
  'password',
  '*.password',
  'newPassword',
  '*.newPassword',
  'oldPassword',
  '*.oldPassword',
  'token',
  '*.token',
  'apiToken',
  '*.apiToken',
  'sessionToken',
  '*.sessionToken',
  'authorization',
  '*.authorization',
  '*.headers.authorization',
  '*.headers.cookie',
  'cookie',
  'verifier',
  '*.verifier',
  'ntHash',
  '*.ntHash',
  'privateKey',
  '*.privateKey',
  'secret',
  '*.secret',
  'unicodePwd',
  '*.unicodePwd',
]

export function createLogger(options: { level: string; file?: string; destination?: DestinationStream }): Logger {
  let destination = options.destination
  if (!destination && options.file) {
    mkdirSync(path.dirname(options.file), { recursive: true })
    destination = pino.destination({ dest: options.file, mkdir: true, sync: false })
  }
  return pino(
    {
      level: options.level,
      redact: { paths: redactedPaths, censor: '[redacted]' },
      base: { service: 'idbridge-cloud' },
    },
    destination ?? pino.destination(2),
  )
}
