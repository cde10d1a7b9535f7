/** @module Which database a configuration points at: PostgreSQL when a URL is set, else the embedded file. */
import path from 'node:path'
import type { LoadedConfig } from '../config/load-config.ts'
import type { DatabaseTarget } from './open-database.ts'

export function storeTarget({ config, dataDir }: LoadedConfig): DatabaseTarget {
  return config.database.url
    ? { kind: 'postgres', url: config.database.url, schema: config.database.schema }
    : { kind: 'sqlite', file: path.join(dataDir, 'idbridge.db') }
}
