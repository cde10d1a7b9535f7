/** @module Runs one child process with a timeout, feeding secrets on stdin and never in argv or env. */
import { spawn } from 'node:child_process'
import type { ErrorCode } from '../errors/error-catalogue.ts'
import { IdbridgeError } from '../errors/idbridge-error.ts'

export interface CommandResult {
  readonly code: number | null
  readonly stdout: string
  readonly stderr: string
}

export interface RunOptions {
  /** Written to stdin and then closed; the only channel for passwords. */
  readonly input?: string
  readonly env?: Readonly<Record<string, string>>
  readonly cwd?: string
  readonly timeoutMs?: number
  /** Return a failed result instead of throwing. */
  readonly allowFailure?: boolean
  /** The code to throw when the command fails. */
  readonly errorCode?: ErrorCode
}

/**
 * Runs a command to completion. A timeout kills it, so a wedged tool can never hang `lab up`.
 *
 * @example
 * const { stdout } = await runCommand('ldbsearch', ['-H', samLdb, '-b', baseDn, '-s', 'base', 'objectSid'])
 */
export async function runCommand(command: string, args: readonly string[], options: RunOptions = {}) {
  const timeoutMs = options.timeoutMs ?? 120_000
  const result = await new Promise<CommandResult>((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: { ...process.env, ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    })
    const out: Buffer[] = []
    const err: Buffer[] = []
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk))
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk))
    const timer = setTimeout(() => {
      err.push(Buffer.from(`\n(killed after ${timeoutMs} ms)`))
      child.kill('SIGKILL')
    }, timeoutMs)
    child.on('error', (error) => {
      clearTimeout(timer)
      reject(error)
    })
    child.on('close', (code) => {
      clearTimeout(timer)
      resolve({ code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') })
    })
    // A child that exits without reading stdin must not crash us with EPIPE.
    child.stdin.on('error', () => {})
    child.stdin.end(options.input ?? '')
  }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return { code: 127, stdout: '', stderr: `${command}: command not found` }
    throw error
  })
  if (result.code !== 0 && !options.allowFailure) {
    const output = `${result.stderr}\n${result.stdout}`.trim().split('\n').slice(-15).join('\n')
    throw new IdbridgeError(options.errorCode ?? 'IDB_ERR_LAB_PROVISION_FAILED', {
      detail: `${command} ${args.join(' ')} exited with ${result.code}:\n${output}`,
    })
  }
  return result
}
