/** @module Cleanups of the scale-out run, run once, last registered first, whether the run ends, fails or is interrupted. */

/**
 * @example
 * const cleanups = new CleanupStack(log)
 * cleanups.defer('the cluster', () => cluster.close())
 * await cleanups.run()
 */
export class CleanupStack {
  readonly #log: (line: string) => void
  readonly #stack: { what: string; work: () => Promise<unknown> }[] = []
  #running: Promise<void> | undefined

  constructor(log: (line: string) => void) {
    this.#log = log
  }

  defer(what: string, work: () => Promise<unknown>): void {
    this.#stack.push({ what, work })
  }

  /** Idempotent: a second call (the deadline firing during a normal end) waits for the first. */
  run(): Promise<void> {
    this.#running ??= (async () => {
      for (const { what, work } of this.#stack.splice(0).reverse()) {
        await work().catch((err: unknown) => this.#log(`scale-out: cleanup of ${what} failed: ${err instanceof Error ? err.message : String(err)}`))
      }
    })()
    return this.#running
  }
}
