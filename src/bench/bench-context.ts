/** @module What every scenario shares: the bench labs, a scratch folder, progress output and the cleanup stack. */
import { mkdir, rm } from 'node:fs/promises'
import path from 'node:path'
import type { LabInfo } from '../lab/lab-info.ts'
import { labDown, labStatus, labUp } from '../lab/lab.ts'
import { repoRoot } from '../lab/lab-paths.ts'

/** Bench labs of their own, apart from var/lab and the test labs, one per user count. */
const benchLabs: Record<number, { dir: string; address: string }> = {
  1000: { dir: 'var/bench-lab-1k', address: '127.0.0.46' },
  10000: { dir: 'var/bench-lab', address: '127.0.0.45' },
}

/**
 * Labs are brought up on first use and kept for the scenarios after; `close` stops the ones this
 * run started (a lab that was already running is left running) and runs every deferred cleanup.
 *
 * @example
 * const context = new BenchContext({ quick: true, log: (l) => process.stderr.write(`${l}\n`) })
 * try { const lab = await context.lab(1000) } finally { await context.close() }
 */
export class BenchContext {
  readonly quick: boolean
  readonly log: (line: string) => void
  /** Scratch space for tenants and agents, under var/ so it is on the same disk a real install uses. */
  readonly workDir = path.join(repoRoot, 'var', 'bench-run')
  readonly #labs = new Map<number, Promise<LabInfo>>()
  readonly #cleanups: (() => Promise<unknown>)[] = []

  constructor(options: { quick: boolean; log: (line: string) => void }) {
    this.quick = options.quick
    this.log = options.log
  }

  /** The running bench lab with exactly `users` bench users under OU=Bench. */
  lab(users: number): Promise<LabInfo> {
    let lab = this.#labs.get(users)
    if (!lab) {
      lab = this.#openLab(users)
      this.#labs.set(users, lab)
    }
    return lab
  }

  /** Runs `cleanup` at close, last deferred first. */
  defer(cleanup: () => Promise<unknown>): void {
    this.#cleanups.push(cleanup)
  }

  async close(): Promise<void> {
    for (const cleanup of this.#cleanups.splice(0).reverse()) {
      await cleanup().catch((err: unknown) => this.log(`cleanup failed: ${err instanceof Error ? err.message : String(err)}`))
    }
    await rm(this.workDir, { recursive: true, force: true })
  }

  async #openLab(users: number): Promise<LabInfo> {
    const where = benchLabs[users]
    if (!where) throw new Error(`no bench lab is defined for ${users} users`)
    const dir = path.join(repoRoot, where.dir)
    await mkdir(this.workDir, { recursive: true })
    const wasRunning = (await labStatus({ dir })).state === 'running'
    // Deferred before labUp, so that an interrupt during a long first build still stops its samba.
    if (!wasRunning) this.defer(() => labDown({ dir }))
    const started = performance.now()
    this.log(`lab: bringing up ${where.dir} (${users} users at ${where.address}); the first build takes minutes`)
    const lab = await labUp({ dir, address: where.address, users, log: (line) => this.log(`lab: ${line}`) })
    this.log(`lab: ${where.dir} up in ${((performance.now() - started) / 1000).toFixed(1)} s`)
    if (lab.bulk.count !== users) throw new Error(`${where.dir} has ${lab.bulk.count} bench users, not ${users}`)
    return lab
  }
}
