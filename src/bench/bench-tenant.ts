/** @module A fresh tenant service for one bench run: its own data folder, a free loopback port, the embedded store. */
import { mkdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { type RunningCloud, startCloud } from '../cloud/start-cloud.ts'
import { loadConfig } from '../config/load-config.ts'

export interface BenchTenant {
  readonly cloud: RunningCloud
  /** Users the directory sync made, i.e. every user but the ones the tenant started with. */
  syncedCount(): Promise<number>
  close(): Promise<void>
}

/**
 * Starts the tenant service on `dataDir` with the product's defaults (SQLite, log level info).
 *
 * @example
 * const tenant = await startBenchTenant('var/bench-run/import-1k-0/tenant')
 */
export async function startBenchTenant(dataDir: string): Promise<BenchTenant> {
  await mkdir(dataDir, { recursive: true, mode: 0o700 })
  const configFile = path.join(dataDir, 'idbridge.config.json')
  await writeFile(configFile, JSON.stringify({ dataDir, http: { host: '127.0.0.1', port: 0 } }))
  const cloud = await startCloud(loadConfig({ file: configFile, env: {} }))
  const total = async () => (await cloud.store.users.list(cloud.tenant.id, { offset: 0, limit: 1 })).total
  const before = await total()
  return {
    cloud,
    syncedCount: async () => (await total()) - before,
    close: () => cloud.close(),
  }
}
