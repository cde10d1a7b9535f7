/** @module Starts a tenant node, and an agent connected to it, each as a child process of the scale-out run. */
import { mkdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { prepareLabAgent } from '../../cli/demo-agent.ts'
import type { RunningCloud } from '../../cloud/start-cloud.ts'
import type { LabInfo } from '../../lab/lab-info.ts'
import type { Store } from '../../store/store.ts'
import type { Tenant } from '../../store/store-records.ts'
import type { AgentReady } from './agent-child.ts'
import { type Child, startChild } from './child-process.ts'
import type { NodeReady } from './node-child.ts'

export interface TenantNode {
  readonly name: string
  readonly pid: number
  readonly url: string
  readonly certFile: string
  stop(): Promise<void>
}

export interface NodeAgent {
  readonly name: string
  readonly dir: string
  readonly pid: number
  readonly ready: AgentReady
  stop(): Promise<void>
}

/**
 * A node with its own data folder (certificate, logs) and a free loopback port, on the shared
 * schema: the product's defaults otherwise (log level info, 10 database connections).
 *
 * @example
 * const node = await startTenantNode('a', runDir, { url: 'postgres://postgres@127.0.0.1:5432/test', schema }, log)
 */
export async function startTenantNode(
  name: string,
  runDir: string,
  database: { url: string; schema: string },
  log: (line: string) => void,
): Promise<TenantNode> {
  const dataDir = path.join(runDir, `node-${name}`)
  await mkdir(dataDir, { recursive: true, mode: 0o700 })
  const configFile = path.join(dataDir, 'idbridge.config.json')
  await writeFile(configFile, JSON.stringify({ dataDir, http: { host: '127.0.0.1', port: 0 }, database }))
  const child = await startChild<NodeReady>(
    'src/bench/scale-out/node-child.ts',
    [configFile, `scale-out-node-${name}`],
    'ready',
    120_000,
    (line) => log(`node ${name}: ${line}`),
  )
  return { name, pid: child.pid, url: child.message.url, certFile: child.message.certFile, stop: () => child.stop() }
}

/**
 * Registers an agent with `node` (a one-time token from the shared store, redeemed over the node's
 * HTTPS), configures it for the bench OU with password hash sync, exactly as the other bench
 * scenarios do, and starts it; resolves once it has caught up (see agent-child.ts).
 */
export async function startNodeAgent(
  node: TenantNode,
  shared: { store: Store; tenant: Tenant },
  lab: LabInfo,
  dir: string,
  log: (line: string) => void,
): Promise<NodeAgent> {
  // prepareLabAgent reads only these four fields; the node itself runs in another process.
  const cloud = { store: shared.store, tenant: shared.tenant, url: node.url, certFile: node.certFile } as Pick<
    RunningCloud,
    'store' | 'tenant' | 'url' | 'certFile'
  > as RunningCloud
  await prepareLabAgent(cloud, lab, dir, { ous: [lab.bulk.ou], phs: true })
  const child: Child<AgentReady> = await startChild<AgentReady>(
    'src/bench/scale-out/agent-child.ts',
    [dir],
    'ready',
    20 * 60_000,
    (line) => log(`agent ${node.name}: ${line}`),
  )
  return { name: node.name, dir, pid: child.pid, ready: child.message, stop: () => child.stop() }
}
