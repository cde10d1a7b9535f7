/** @module A HashSource over a map, for tests: NT hashes computed from known passwords. */
import { IdbridgeError, type Result } from '../../errors/idbridge-error.ts'
import type { HashSource, HashWalkProgress, HashWatermark, ReplicatedCredential } from './hash-source.ts'

export class MemoryHashSource implements HashSource {
  readonly users = new Map<string, ReplicatedCredential>()
  /** The change number of each user's last put, as a DC's USN: what `since` compares against. */
  readonly #changedAt = new Map<string, number>()
  #lastChange = 0
  /** Set to make every read fail, as a DC that went down would. */
  failure: IdbridgeError | undefined
  readonly pageSize: number
  reads = { all: 0, one: 0 }

  constructor(options: { pageSize?: number } = {}) {
    this.pageSize = options.pageSize ?? 400
  }

  put(credential: ReplicatedCredential): void {
    const key = credential.distinguishedName.toLowerCase()
    this.users.set(key, credential)
    this.#changedAt.set(key, ++this.#lastChange)
  }

  async readAll(
    onPage: (page: readonly ReplicatedCredential[], progress: HashWalkProgress) => Promise<void>,
    options: { since?: HashWatermark } = {},
  ): Promise<Result<HashWatermark>> {
    this.reads.all++
    if (this.failure) return { ok: false, error: this.failure }
    // Taken before the walk, so a put while a page is processed shows up in the next walk since it.
    const watermark = { position: this.#lastChange }
    const since = typeof options.since?.position === 'number' ? options.since.position : 0
    const all = [...this.users].filter(([key]) => this.#changedAt.get(key)! > since).map(([, credential]) => credential)
    try {
      for (let i = 0; i < all.length; i += this.pageSize) {
        await onPage(all.slice(i, i + this.pageSize), { objectsSeen: Math.min(all.length, i + this.pageSize) })
      }
    } catch (error) {
      if (IdbridgeError.is(error)) return { ok: false, error }
      throw error
    }
    return { ok: true, value: watermark }
  }

  async readOne(distinguishedName: string): Promise<Result<ReplicatedCredential | undefined>> {
    this.reads.one++
    if (this.failure) return { ok: false, error: this.failure }
    return { ok: true, value: this.users.get(distinguishedName.toLowerCase()) }
  }

  async close(): Promise<void> {}

  /** A failure that looks like the DRS layer's, for fault tests. */
  static unreachable(dc: string): IdbridgeError {
    return new IdbridgeError('AGENT_ERR_DC_UNREACHABLE', { detail: `${dc} did not answer`, data: { dc } })
  }
}
