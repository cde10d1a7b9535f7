/** @module Test helper: a throwaway PostgreSQL server of its own, to stop and start without touching the shared one. */
import { execFile } from 'node:child_process'
import { readdirSync, readFileSync, rmSync } from 'node:fs'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { freeLoopbackPort } from '../lab/port-check.ts'

const run = promisify(execFile)

/** Debian installs each major version's server binaries here; the newest one is used. */
function binDir(): string {
  const root = '/usr/lib/postgresql'
  const versions = readdirSync(root).filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a))
  if (versions.length === 0) throw new Error(`no PostgreSQL server under ${root}`)
  return path.join(root, versions[0]!, 'bin')
}

/**
 * One cluster in a temp folder owned by `postgres` (initdb refuses root), trust auth, listening
 * on 127.0.0.1 at a free port with its socket in the folder. `stop()` ends it by PID and removes it.
 *
 * @example
 * const pg = await PrivatePostgres.start()
 * process.env.DATABASE_URL = pg.url
 * await pg.down(); await pg.up()
 */
export class PrivatePostgres {
  readonly url: string
  readonly #dir: string
  readonly #port: number
  readonly #bin = binDir()
  #orphanGuard: (() => void) | undefined

  private constructor(dir: string, port: number) {
    this.#dir = dir
    this.#port = port
    this.url = `postgres://postgres@127.0.0.1:${port}/postgres`
  }

  static async start(): Promise<PrivatePostgres> {
    const dir = await mkdtemp(path.join(tmpdir(), 'idb-pg-'))
    const pg = new PrivatePostgres(dir, await freeLoopbackPort())
    // Should the test process die before its cleanup runs, the server must not outlive it.
    const orphanGuard = () => pg.#stopNow()
    process.once('exit', orphanGuard)
    pg.#orphanGuard = orphanGuard
    try {
      await run('chown', ['postgres:postgres', dir])
      const initdb = ['-D', pg.#data, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--locale=C', '--no-sync']
      await pg.#asPostgres('initdb', initdb)
      await pg.up()
    } catch (error) {
      await pg.stop()
      throw error
    }
    return pg
  }

  get #data(): string {
    return path.join(this.#dir, 'data')
  }

  /** Starts the server and waits until it accepts connections. */
  async up(): Promise<void> {
    const options = `-p ${this.#port} -k ${this.#dir} -c listen_addresses=127.0.0.1 -c fsync=off`
    const log = path.join(this.#dir, 'server.log')
    await this.#asPostgres('pg_ctl', ['-D', this.#data, '-l', log, '-o', options, '-w', '-t', '30', 'start'])
  }

  /** A fast shutdown, as an administrator's restart does: open sessions are terminated (57P01). */
  async down(): Promise<void> {
    await this.#asPostgres('pg_ctl', ['-D', this.#data, '-m', 'fast', '-w', '-t', '30', 'stop'])
  }

  /** The postmaster's PID, or undefined when it is not running. */
  async pid(): Promise<number | undefined> {
    const text = await readFile(path.join(this.#data, 'postmaster.pid'), 'utf8').catch(() => '')
    const pid = Number(text.split('\n')[0])
    return Number.isInteger(pid) && pid > 0 ? pid : undefined
  }

  /** Ends the postmaster by PID (its backends follow), harder after 5 s, and removes the folder. */
  async stop(): Promise<void> {
    if (this.#orphanGuard) process.off('exit', this.#orphanGuard)
    const pid = await this.pid()
    if (pid !== undefined) {
      // SIGINT is a fast shutdown (~0.1 s here); SIGQUIT, "immediate", waits on its children for longer.
      for (const signal of ['SIGINT', 'SIGKILL'] as const) {
        if (!signalled(pid, signal)) break
        for (let i = 0; i < 100 && isAlive(pid); i++) await new Promise((r) => setTimeout(r, 50))
        if (!isAlive(pid)) break
      }
    }
    await rm(this.#dir, { recursive: true, force: true })
  }

  /** Synchronous, for process exit: a fast-shutdown request by PID, then the folder goes. */
  #stopNow(): void {
    try {
      const pid = Number(readFileSync(path.join(this.#data, 'postmaster.pid'), 'utf8').split('\n')[0])
      if (Number.isInteger(pid) && pid > 0) signalled(pid, 'SIGINT')
    } catch {
      // Not running.
    }
    rmSync(this.#dir, { recursive: true, force: true })
  }

  #asPostgres(program: string, args: string[]) {
    return run('runuser', ['-u', 'postgres', '--', path.join(this.#bin, program), ...args], { timeout: 60_000 })
  }
}

function signalled(pid: number, signal: NodeJS.Signals): boolean {
  try {
    return process.kill(pid, signal)
  } catch {
    return false
  }
}

/** A zombie counts as gone: the postmaster's parent is PID 1 here, which reaps it when it likes. */
function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    return !/^\d+ \(.*\) Z/.test(stat)
  } catch {
    return false
  }
}
