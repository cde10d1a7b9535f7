/** @module One walk of the whole naming context, read and stretched ahead of sending. */
import { IdbridgeError, type Result } from '../../errors/idbridge-error.ts'
import type { HashSource, HashWatermark } from './hash-source.ts'
import { type StretchedCredential, stretchCredentials } from './stretch-credentials.ts'

/** One page of the walk, stretched: NT hashes are already gone from it. */
export interface WalkedPage {
  readonly credentials: readonly StretchedCredential[]
  readonly objectsSeen: number
}

/**
 * Starts reading at once and keeps every stretched page until `pages()` takes it, so the walk can
 * run while the directory's first import is still on its way to the tenant, and the sending
 * starts when the tenant knows the users. Pages wait in memory as verifiers (about 200 bytes a
 * user), never as NT hashes.
 */
export class FullSyncWalk {
  /** How the walk ended; a failure is a value, as every HashSource failure is. */
  readonly done: Promise<Result<HashWatermark>>
  readonly #ready: WalkedPage[] = []
  #finished = false
  #failed = false
  #cancelled = false
  #wake: (() => void) | undefined

  constructor(source: HashSource, options: { since?: HashWatermark } = {}) {
    this.done = source
      .readAll(async (page, progress) => {
        if (this.#cancelled) throw new IdbridgeError('AGENT_ERR_PHS_CANCELLED', { detail: 'the agent is stopping' })
        this.#ready.push({ credentials: await stretchCredentials(page), objectsSeen: progress.objectsSeen })
        this.#wake?.()
      }, options)
      .then((walked) => {
        this.#failed = !walked.ok
        return walked
      })
      .finally(() => {
        this.#finished = true
        this.#wake?.()
      })
  }

  /** The pages in walk order as they become ready; ends with the walk, however it ended (see `done`). */
  async *pages(): AsyncGenerator<WalkedPage> {
    for (;;) {
      const page = this.#ready.shift()
      if (page) {
        yield page
        continue
      }
      if (this.#finished) return
      await new Promise<void>((resolve) => (this.#wake = resolve))
      this.#wake = undefined
    }
  }

  /** True once the walk ended with an error: a walk ahead that failed is replaced, not reported. */
  get failed(): boolean {
    return this.#failed
  }

  /** Stops at the next page boundary, so an agent that stops does not wait for a whole walk. */
  cancel(): Promise<Result<HashWatermark>> {
    this.#cancelled = true
    this.#ready.length = 0
    return this.done
  }
}
