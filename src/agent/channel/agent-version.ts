/** @module The version an agent reports to the tenant, read once from package.json. */
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { repoRoot } from '../../config/load-config.ts'

export const agentVersion: string = (() => {
  try {
    const pkg = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { version?: unknown }
    return typeof pkg.version === 'string' ? pkg.version : '0.0.0'
  } catch {
    return '0.0.0'
  }
})()
