/** @module Reads the config file, applies environment overrides and validates the result. */
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { IdbridgeError } from '../errors/idbridge-error.ts'
import { configSchema, type IdbridgeConfig } from './config-schema.ts'

/** The checkout's root, so `var/` means the same folder whatever the working directory. */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')

/** Each override names the key it sets, so an error can point at the variable too. */
const envOverrides: Record<string, string[]> = {
  IDBRIDGE_DATA_DIR: ['dataDir'],
  IDBRIDGE_HTTP_HOST: ['http', 'host'],
  IDBRIDGE_HTTP_PORT: ['http', 'port'],
  IDBRIDGE_PUBLIC_URL: ['http', 'publicUrl'],
  IDBRIDGE_TLS_CERT_FILE: ['http', 'tls', 'certFile'],
  IDBRIDGE_TLS_KEY_FILE: ['http', 'tls', 'keyFile'],
  DATABASE_URL: ['database', 'url'],
  IDBRIDGE_DATABASE_SCHEMA: ['database', 'schema'],
  IDBRIDGE_LOG_LEVEL: ['log', 'level'],
}

export interface LoadConfigOptions {
  /** A config file; else $IDBRIDGE_CONFIG; else ./idbridge.config.json when it exists. */
  readonly file?: string
  readonly env?: NodeJS.ProcessEnv
}

export interface LoadedConfig {
  readonly config: IdbridgeConfig
  /** dataDir made absolute. */
  readonly dataDir: string
  readonly source: string | undefined
}

export function loadConfig(options: LoadConfigOptions = {}): LoadedConfig {
  const env = options.env ?? process.env
  const file =
    options.file ?? env.IDBRIDGE_CONFIG ?? (existsSync('idbridge.config.json') ? 'idbridge.config.json' : undefined)
  const raw: Record<string, unknown> = file ? readConfigFile(file) : {}
  const origin = new Map<string, string>()
  for (const [name, keyPath] of Object.entries(envOverrides)) {
    const value = env[name]
    if (value === undefined || value === '') continue
    setPath(raw, keyPath, value)
    origin.set(keyPath.join('.'), name)
  }
  const parsed = configSchema.safeParse(raw)
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => {
      const key = issue.path.join('.') || '(root)'
      const from = origin.get(key) ? ` (from ${origin.get(key)})` : file ? ` (in ${file})` : ''
      return `${key}${from}: ${issue.message}`
    })
    throw new IdbridgeError('IDB_ERR_CONFIG_INVALID', { detail: lines.join('; ') })
  }
  const config = parsed.data
  return { config, dataDir: path.resolve(repoRoot, config.dataDir), source: file }
}

function readConfigFile(file: string): Record<string, unknown> {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (cause) {
    throw new IdbridgeError('IDB_ERR_CONFIG_INVALID', { detail: `cannot read config file ${file}`, cause })
  }
  try {
    const value: unknown = JSON.parse(text)
    if (value && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>
  } catch (cause) {
    throw new IdbridgeError('IDB_ERR_CONFIG_INVALID', { detail: `${file} is not valid JSON`, cause })
  }
  throw new IdbridgeError('IDB_ERR_CONFIG_INVALID', { detail: `${file} must hold a JSON object` })
}

function setPath(target: Record<string, unknown>, keyPath: readonly string[], value: string): void {
  let node = target
  for (const key of keyPath.slice(0, -1)) {
    const next = node[key]
    if (!next || typeof next !== 'object') node[key] = {}
    node = node[key] as Record<string, unknown>
  }
  node[keyPath[keyPath.length - 1]!] = value
}
