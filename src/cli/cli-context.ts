/** @module What every store-backed CLI command shares: config, store, output format, the tenant. */
import { randomUUID } from 'node:crypto'
import { type LoadedConfig, loadConfig } from '../config/load-config.ts'
import { IdbridgeError } from '../errors/idbridge-error.ts'
import { openStore } from '../store/kysely-store.ts'
import type { Store } from '../store/store.ts'
import type { Tenant } from '../store/store-records.ts'
import { storeTarget } from '../store/store-target.ts'
import { systemClock } from '../time/clock.ts'

export interface GlobalOptions {
  readonly config?: string
  readonly json?: boolean
}

/** Opens the store the service uses; with SQLite that means the service must not be running. */
export async function withStore<T>(
  options: GlobalOptions,
  work: (store: Store, loaded: LoadedConfig) => Promise<T>,
): Promise<T> {
  const loaded = loadConfig({ file: options.config })
  const store = await openStore(storeTarget(loaded), systemClock)
  try {
    return await work(store, loaded)
  } finally {
    await store.close()
  }
}

export async function findTenant(store: Store, loaded: LoadedConfig, name: string | undefined): Promise<Tenant> {
  const wanted = name ?? loaded.config.tenant.name
  const tenant = await store.tenants.getByName(wanted)
  if (!tenant) throw new IdbridgeError('IDB_ERR_TENANT_NOT_FOUND', { detail: `no tenant named ${wanted}` })
  return tenant
}

export const cliActor = () => ({ name: `cli:${process.env.USER ?? 'unknown'}`, correlationId: randomUUID() })

/** Prints JSON for scripts, or a human table. */
export function output(json: boolean | undefined, value: unknown, human: () => string): void {
  process.stdout.write(json ? `${JSON.stringify(value, null, 2)}\n` : `${human()}\n`)
}
