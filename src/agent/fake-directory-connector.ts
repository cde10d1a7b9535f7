/** @module A DirectoryConnector over an in-memory list of users, for tests of what sits above AD. */
import type { Result } from '../errors/idbridge-error.ts'
import type {
  DeltaCookie,
  DeltaImportResult,
  DirectoryConnector,
  FullImportOptions,
  FullImportResult,
} from './directory/directory-connector.ts'
import type { DirectoryChange, DirectoryUser } from './directory/directory-records.ts'

export class FakeDirectoryConnector implements DirectoryConnector {
  users: DirectoryUser[] = []
  /** Changes the next delta returns; a test pushes to it as AD would change. */
  pending: DirectoryChange[] = []
  deltaCalls = 0
  #onChange: (() => void) | undefined

  async fullImport(options: FullImportOptions = {}): Promise<Result<FullImportResult>> {
    if (this.users.length > 0) options.onUsers?.([...this.users])
    options.onProgress?.(this.users.length)
    return { ok: true, value: { users: [...this.users], failures: [], cookie: this.#cookie() } }
  }

  async deltaImport(_cookie: DeltaCookie): Promise<Result<DeltaImportResult>> {
    this.deltaCalls++
    const changes = this.pending
    this.pending = []
    return { ok: true, value: { changes, failures: [], cookie: this.#cookie() } }
  }

  async watch(onChange: () => void): Promise<Result<{ stop(): Promise<void> }>> {
    this.#onChange = onChange
    return { ok: true, value: { stop: async () => void (this.#onChange = undefined) } }
  }

  /** What AD's change notification would do. */
  notify(): void {
    this.#onChange?.()
  }

  async close(): Promise<void> {}

  #cookie(): DeltaCookie {
    return {
      mode: 'dirsync',
      value: Buffer.from(`cookie-${this.deltaCalls}`).toString('base64'),
      dc: 'ldaps://dc.test',
    }
  }
}
