/** @module Runs one task at a time; calls that arrive meanwhile fold into a single further run. */

/**
 * A burst of triggers (change notifications, timers, admin requests) costs one extra run, never a
 * queue of them, and never two runs at once.
 */
export class CoalescingRunner<T> {
  readonly #task: () => Promise<T>
  #running: Promise<T> | undefined
  #again = false

  constructor(task: () => Promise<T>) {
    this.#task = task
  }

  run(): Promise<T> {
    if (this.#running) {
      this.#again = true
      return this.#running
    }
    this.#running = this.#task().finally(() => {
      this.#running = undefined
      if (this.#again) {
        this.#again = false
        void this.run()
      }
    })
    return this.#running
  }

  /** Resolves when nothing is running; failures are the caller's business, not this wait's. */
  async settled(): Promise<void> {
    while (this.#running) await this.#running.catch(() => undefined)
  }
}
