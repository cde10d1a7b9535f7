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
    destination = fileDestination(options.file)
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

/**
 * A log file whose write errors (a full disk: ENOSPC) cost log lines, not the service: unhandled,
 * pino re-emits them as an 'error' event that kills the process. Said once on stderr per episode;
 * writing resumes by itself when space returns.
 */
function fileDestination(file: string): DestinationStream {
  const destination = pino.destination({ dest: file, mkdir: true, sync: false })
  let failing = false
  destination.on('error', (error: NodeJS.ErrnoException) => {
    const reason = error.code ?? error.message
    if (!failing) process.stderr.write(`idbridge: cannot write ${file} (${reason}); log lines are lost until it can\n`)
    failing = true
  })
  destination.on('write', () => (failing = false))
  return destination
}
