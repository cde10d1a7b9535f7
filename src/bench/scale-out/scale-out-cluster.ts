/**
 * @module The system under test: tenant nodes on one PostgreSQL schema made for this run, each
 * with an agent connected to it, and the run's own connection to the same store for setup and
 * checks. Everything it starts it stops, by handle, and the schema is dropped at the end.
 */
import { randomBytes } from 'node:crypto'
import path from 'node:path'
import pg from 'pg'
import { createAdminToken } from '../../cloud/auth/admin-tokens.ts'
import type { LabInfo } from '../../lab/lab-info.ts'
import { openStore } from '../../store/kysely-store.ts'
import type { Store } from '../../store/store.ts'
import type { Tenant } from '../../store/store-records.ts'
import { systemClock } from '../../time/clock.ts'
import { waitFor } from '../wait-for.ts'
import { type NodeAgent, startNodeAgent, startTenantNode, type TenantNode } from './tenant-node.ts'

export interface ClusterOptions {
  readonly lab: LabInfo
  readonly runDir: string
  readonly databaseUrl: string
  readonly log: (line: string) => void
}

/**
 * @example
 * const cluster = await ScaleOutCluster.open({ lab, runDir, databaseUrl, log })
 * try { await cluster.addNode('b') } finally { await cluster.close() }
 */
export class ScaleOutCluster {
  readonly nodes: TenantNode[] = []
  readonly agents: NodeAgent[] = []
  readonly schema = `idb_scale_${randomBytes(5).toString('hex')}`
  readonly #o: ClusterOptions
  #store: Store | undefined
  #tenant: Tenant | undefined
  #adminToken: string | undefined
  #schemaCreated = false

  private constructor(options: ClusterOptions) {
    this.#o = options
  }

  /**
   * Creates the schema, starts the first node (which makes the default tenant), turns on writeback
   * and password hash sync for the tenant, makes an admin API token, and starts the first agent.
   */
  static async open(options: ClusterOptions): Promise<ScaleOutCluster> {
    const cluster = new ScaleOutCluster(options)
    try {
      await cluster.#sql(`create schema ${cluster.schema}`)
      cluster.#schemaCreated = true
      const first = await cluster.#startNode('a')
      cluster.#store = await openStore({ kind: 'postgres', url: options.databaseUrl, schema: cluster.schema }, systemClock)
      const [tenant, ...others] = await cluster.#store.tenants.list()
      if (!tenant || others.length > 0) throw new Error(`expected one tenant in ${cluster.schema}, found ${others.length + (tenant ? 1 : 0)}`)
      const settings = { ...tenant.settings, passwordWritebackEnabled: true, passwordHashSyncEnabled: true }
      cluster.#tenant = (await cluster.#store.tenants.updateSettings(tenant.id, settings)) ?? tenant
      cluster.#adminToken = (await createAdminToken(cluster.#store, systemClock, { tenantId: tenant.id, name: 'scale-out', ttlDays: 1 })).token
      await cluster.#startAgent(first)
      return cluster
    } catch (error) {
      await cluster.close()
      throw error
    }
  }

  get store(): Store {
    return this.#store!
  }

  get tenant(): Tenant {
    return this.#tenant!
  }

  get adminToken(): string {
    return this.#adminToken!
  }

  /** Another node on the same schema, and an agent connected to it; resolves once that agent caught up. */
  async addNode(name: string): Promise<void> {
    await this.#startAgent(await this.#startNode(name))
  }

  /** Agents first (they are the nodes' clients), then nodes, the store, and the schema. */
  async close(): Promise<void> {
    const stopping = (what: string, work: () => Promise<unknown>) =>
      work().catch((err: unknown) => this.#o.log(`scale-out: cannot stop ${what}: ${err instanceof Error ? err.message : String(err)}`))
    for (const agent of this.agents.splice(0).reverse()) await stopping(`agent ${agent.name} (pid ${agent.pid})`, () => agent.stop())
    for (const node of this.nodes.splice(0).reverse()) await stopping(`node ${node.name} (pid ${node.pid})`, () => node.stop())
    if (this.#store) await stopping('the store connection', () => this.#store!.close())
    this.#store = undefined
    if (this.#schemaCreated) await stopping(`schema ${this.schema}`, () => this.#sql(`drop schema if exists ${this.schema} cascade`))
    this.#schemaCreated = false
  }

  async #startNode(name: string): Promise<TenantNode> {
    const node = await startTenantNode(name, this.#o.runDir, { url: this.#o.databaseUrl, schema: this.schema }, this.#o.log)
    this.nodes.push(node)
    this.#o.log(`scale-out: node ${name} listening at ${node.url} (pid ${node.pid})`)
    return node
  }

  async #startAgent(node: TenantNode): Promise<void> {
    const dir = path.join(this.#o.runDir, `agent-${node.name}`)
    const agent = await startNodeAgent(node, { store: this.store, tenant: this.tenant }, this.#o.lab, dir, this.#o.log)
    this.agents.push(agent)
    const { directoryMs, phsMs } = agent.ready
    this.#o.log(
      `scale-out: agent ${node.name} (pid ${agent.pid}) caught up: directory ${(directoryMs / 1000).toFixed(1)} s, ` +
        `initial password hash sync ${(phsMs / 1000).toFixed(1)} s`,
    )
    // Every node must see every agent online before load arrives: the relay reads it from the store.
    await waitFor(
      `${this.agents.length} agents online in the store`,
      async () => (await this.store.agents.list(this.tenant.id)).filter((a) => a.state === 'online').length >= this.agents.length,
      { timeoutMs: 60_000, intervalMs: 200 },
    )
  }

  async #sql(statement: string): Promise<void> {
    const client = new pg.Client({ connectionString: this.#o.databaseUrl })
    await client.connect()
    try {
      await client.query(statement)
    } finally {
      await client.end()
    }
  }
}
