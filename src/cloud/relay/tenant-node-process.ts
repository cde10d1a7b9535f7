/** @module Test helper: a tenant node as a child process (`idbridge cloud serve`), so that a test can SIGKILL it. */
import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { repoRoot } from '../../lab/lab-paths.ts'
import { freeLoopbackPort } from '../../lab/port-check.ts'

/** What the node shares with the others: the database, the TLS certificate and the public URL. */
export interface TenantNodeOptions {
  readonly databaseUrl: string
  readonly schema: string
  readonly publicUrl: string
  readonly certFile: string
  readonly keyFile: string
}

/** A running node; `kill()` ends it by PID with SIGKILL, as a crash would. */
export interface TenantNodeProcess {
  readonly pid: number
  readonly port: number
  kill(): Promise<void>
}

/** Starts the node and resolves once it prints its banner; its output is kept for a failure message. */
export async function startTenantNodeProcess(
  options: TenantNodeOptions,
  timeoutMs = 30_000,
): Promise<TenantNodeProcess> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'idb-node-'))
  const port = await freeLoopbackPort()
  const configFile = path.join(dataDir, 'idbridge.config.json')
  const config = {
    dataDir,
    http: { port, publicUrl: options.publicUrl, tls: { certFile: options.certFile, keyFile: options.keyFile } },
    database: { url: options.databaseUrl, schema: options.schema },
  }
  writeFileSync(configFile, JSON.stringify(config))
  const args = ['--import', 'tsx', 'src/cli/main.ts', 'cloud', 'serve', '--config', configFile]
  const child = spawn(process.execPath, args, {
    cwd: repoRoot,
    env: { PATH: process.env.PATH, HOME: process.env.HOME },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()))
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()))
  // Should the test process die before its cleanup runs, the node must not outlive it.
  const orphanGuard = () => child.exitCode === null && child.signalCode === null && child.kill('SIGKILL')
  process.once('exit', orphanGuard)
  const exited = new Promise<void>((resolve) =>
    child.once('exit', () => {
      process.off('exit', orphanGuard)
      resolve()
    }),
  )
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no banner within ${timeoutMs} ms:\n${output}`)), timeoutMs)
      const check = () => {
        if (!/^Tenant: /m.test(output)) return
        clearTimeout(timer)
        resolve()
      }
      child.stdout!.on('data', check)
      child.once('exit', (code) => reject(new Error(`the node exited (${code}) before listening:\n${output}`)))
    })
  } catch (error) {
    await killed(child, exited)
    throw error
  }
  return { pid: child.pid!, port, kill: () => killed(child, exited) }
}

async function killed(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) process.kill(child.pid!, 'SIGKILL')
  await exited
}
