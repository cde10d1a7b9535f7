/**
 * @module Runs one part of the scale-out run (a tenant node, an agent, the load) as a process of its
 * own, so each has its own event loop and the OS can put them on different cores, as separate
 * machines would be. Children speak one JSON object per stdout line; the parent waits for a key.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { repoRoot } from '../../lab/lab-paths.ts'

export interface Child<T> {
  readonly pid: number
  /** The value of the first stdout line `{ "<key>": value }`. */
  readonly message: T
  /** Ends the child by its PID: SIGTERM, then SIGKILL if it has not exited after `graceMs`. */
  stop(graceMs?: number): Promise<void>
}

/**
 * Spawns `node --import tsx <script> …args` from the checkout and resolves once the child prints
 * `{ "<key>": … }`; rejects, after killing it, if it exits first or `timeoutMs` passes. The last
 * lines of its output go into the error, and each line to `log` as it comes.
 *
 * @example
 * const node = await startChild<{ url: string }>('src/bench/scale-out/node-child.ts', [configFile], 'ready', 60_000, log)
 * try { … } finally { await node.stop() }
 */
export async function startChild<T>(
  script: string,
  args: readonly string[],
  key: string,
  timeoutMs: number,
  log: (line: string) => void,
): Promise<Child<T>> {
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
    cwd: repoRoot,
    env: { PATH: process.env.PATH, HOME: process.env.HOME },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  // Should this process die before its cleanup runs, the child must not outlive it.
  const orphanGuard = () => isRunning(child) && child.kill('SIGKILL')
  process.once('exit', orphanGuard)
  const exited = new Promise<void>((resolve) =>
    child.once('exit', () => {
      process.off('exit', orphanGuard)
      resolve()
    }),
  )
  const tail: string[] = []
  const keep = (line: string) => {
    tail.push(line)
    if (tail.length > 40) tail.shift()
  }
  const stop = async (graceMs = 30_000) => {
    if (isRunning(child)) child.kill('SIGTERM')
    const timer = setTimeout(() => isRunning(child) && child.kill('SIGKILL'), graceMs)
    await exited
    clearTimeout(timer)
  }
  try {
    const message = await new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${script}: no "${key}" within ${timeoutMs} ms:\n${tail.join('\n')}`)), timeoutMs)
      lines(child, 'stderr', (line) => {
        keep(line)
        log(line)
      })
      lines(child, 'stdout', (line) => {
        keep(line)
        const parsed = parseLine(line)
        if (parsed && key in parsed) {
          clearTimeout(timer)
          resolve(parsed[key] as T)
        } else {
          log(line)
        }
      })
      child.once('exit', (code, signal) => {
        clearTimeout(timer)
        reject(new Error(`${script} exited (${code ?? signal}) before "${key}":\n${tail.join('\n')}`))
      })
    })
    return { pid: child.pid!, message, stop }
  } catch (error) {
    await stop(5_000)
    throw error
  }
}

function isRunning(child: ChildProcess): boolean {
  return child.exitCode === null && child.signalCode === null
}

function lines(child: ChildProcess, stream: 'stdout' | 'stderr', onLine: (line: string) => void): void {
  let buffered = ''
  child[stream]!.setEncoding('utf8').on('data', (chunk: string) => {
    buffered += chunk
    const parts = buffered.split('\n')
    buffered = parts.pop() ?? ''
    for (const part of parts) if (part.trim()) onLine(part)
  })
}

function parseLine(line: string): Record<string, unknown> | undefined {
  if (!line.startsWith('{')) return undefined
  try {
    const value: unknown = JSON.parse(line)
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : undefined
  } catch {
    return undefined
  }
}

/** For a child script: prints `{ "<key>": value }` as one line, which `startChild` waits for. */
export function announce(key: string, value: unknown): void {
  process.stdout.write(`${JSON.stringify({ [key]: value })}\n`)
}

/** For a child script: runs `stop` once on SIGTERM or SIGINT, then exits 0 (1 if stopping failed). */
export function stopOnSignal(stop: () => Promise<void>): void {
  let stopping = false
  const onSignal = () => {
    if (stopping) return
    stopping = true
    stop().then(
      () => process.exit(0),
      (err: unknown) => {
        process.stderr.write(`stopping failed: ${err instanceof Error ? err.message : String(err)}\n`)
        process.exit(1)
      },
    )
  }
  process.on('SIGTERM', onSignal)
  process.on('SIGINT', onSignal)
}
