/**
 * @module Runs one autocannon load in a process of its own, so the load generator shares neither
 * the event loop nor the RSS of the tenant it measures. Spawned by `runAutocannon`; reads its
 * options as JSON from argv and prints a summary as JSON on stdout.
 */
import { spawn } from 'node:child_process'
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'
import { repoRoot } from '../lab/lab-paths.ts'

export interface LoadOptions {
  readonly url: string
  readonly method: 'GET' | 'POST'
  readonly headers: Readonly<Record<string, string>>
  readonly body?: string
  readonly connections: number
  readonly durationSeconds: number
  /** PEM of the tenant's certificate, trusted for this load only. */
  readonly ca: string
}

export interface LoadSummary {
  /** Completed requests, and the seconds autocannon ran. */
  readonly total: number
  readonly seconds: number
  readonly rate: number
  /** Latencies in ms. */
  readonly p50: number
  readonly p99: number
  readonly errors: number
  readonly timeouts: number
  /** Completed requests by status code. */
  readonly statuses: Readonly<Record<string, number>>
}

interface AutocannonResult {
  requests: { total: number }
  latency: { p50: number; p99: number }
  duration: number
  errors: number
  timeouts: number
  statusCodeStats: Record<string, { count: number }>
}
type Autocannon = (options: Record<string, unknown>) => Promise<AutocannonResult>

/**
 * @example
 * const summary = await runAutocannon({ url, method: 'GET', headers: {}, connections: 10, durationSeconds: 5, ca })
 */
export function runAutocannon(options: LoadOptions): Promise<LoadSummary> {
  const self = fileURLToPath(import.meta.url)
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', self, JSON.stringify(options)], {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let out = ''
    let err = ''
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk))
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk))
    child.on('error', reject)
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`autocannon exited with ${code}: ${err.trim().slice(-2000)}`))
      try {
        resolve(JSON.parse(out) as LoadSummary)
      } catch (cause) {
        reject(new Error(`autocannon printed no summary: ${out.slice(0, 500)} ${err.slice(-500)}`, { cause }))
      }
    })
  })
}

async function main(raw: string): Promise<void> {
  const options = JSON.parse(raw) as LoadOptions
  const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon
  const result = await autocannon({
    url: options.url,
    method: options.method,
    headers: options.headers,
    body: options.body,
    connections: options.connections,
    duration: options.durationSeconds,
    tlsOptions: { ca: options.ca },
  })
  const statuses = Object.fromEntries(Object.entries(result.statusCodeStats).map(([code, s]) => [code, s.count]))
  const summary: LoadSummary = {
    total: result.requests.total,
    seconds: result.duration,
    rate: result.requests.total / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors,
    timeouts: result.timeouts,
    statuses,
  }
  process.stdout.write(JSON.stringify(summary))
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  main(process.argv[2] ?? '{}').catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`)
    process.exit(1)
  })
}
