/** @module A HashSource over a map, for tests: NT hashes computed from known passwords. */
import { IdbridgeError, type Result } from '../../errors/idbridge-error.ts'
import type { HashSource, HashWalkProgress, ReplicatedCredential } from './hash-source.ts'

export class MemoryHashSource implements HashSource {
  readonly users = new Map<string, ReplicatedCredential>()
  /** Set to make every read fail, as a DC that went down would. */
  failure: IdbridgeError | undefined
  readonly pageSize: number
  reads = { all: 0, one: 0 }

  constructor(options: { pageSize?: number } = {}) {
    this.pageSize = options.pageSize ?? 400
  }

  put(credential: ReplicatedCredential): void {
    this.users.set(credential.distinguishedName.toLowerCase(), credential)
  }

  async readAll(
    onPage: (page: readonly ReplicatedCredential[], progress: HashWalkProgress) => Promise<void>,
  ): Promise<Result<void>> {
    this.reads.all++
    if (this.failure) return { ok: false, error: this.failure }
    const all = [...this.users.values()]
    for (let i = 0; i < all.length; i += this.pageSize) {
      await onPage(all.slice(i, i + this.pageSize), { objectsSeen: Math.min(all.length, i + this.pageSize) })
    }
    return { ok: true, value: undefined }
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
