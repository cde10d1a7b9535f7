/** @module Agents and their one-time registration tokens over Kysely. */
import { randomUUID } from 'node:crypto'
import type { Kysely, Selectable } from 'kysely'
import { IdbridgeError, type Result } from '../errors/idbridge-error.ts'
import type { Clock } from '../time/clock.ts'
import type { AgentTable, Database } from './database-schema.ts'
import type { AgentRepository } from './store.ts'
import type { Agent, AgentRegistrationToken, AgentState, NewAgent } from './store-records.ts'

const toAgent = (row: Selectable<AgentTable>): Agent => ({
  id: row.id,
  tenantId: row.tenant_id,
  host: row.host,
  version: row.version,
  identityPublicKey: row.identity_public_key,
  encryptionPublicKey: row.encryption_public_key,
  keysCreatedAt: row.keys_created_at,
  registeredAt: row.registered_at,
  lastSeenAt: row.last_seen_at,
  state: row.state === 'online' ? 'online' : 'offline',
  connectedNode: row.connected_node,
  revokedAt: row.revoked_at,
})

export class KyselyAgentRepository implements AgentRepository {
  readonly #db: Kysely<Database>
  readonly #clock: Clock
  constructor(db: Kysely<Database>, clock: Clock) {
    this.#db = db
    this.#clock = clock
  }

  async createRegistrationToken(
    tenantId: string,
    tokenHash: string,
    expiresAt: number,
  ): Promise<AgentRegistrationToken> {
    const row = {
      id: randomUUID(),
      tenant_id: tenantId,
      token_hash: tokenHash,
      created_at: this.#clock.now(),
      expires_at: expiresAt,
    }
    await this.#db.insertInto('agent_registration_tokens').values(row).execute()
    return { id: row.id, tenantId, createdAt: row.created_at, expiresAt, usedAt: null }
  }

  async register(tokenHash: string, agent: NewAgent): Promise<Result<Agent>> {
    const now = this.#clock.now()
    const token = await this.#db
      .selectFrom('agent_registration_tokens')
      .selectAll()
      .where('token_hash', '=', tokenHash)
      .executeTakeFirst()
    const refuse = (detail: string): Result<Agent> => ({
      ok: false,
      error: new IdbridgeError('IDB_ERR_AGENT_REGISTRATION_TOKEN', { detail }),
    })
    if (!token) return refuse('unknown registration token')
    if (token.used_at !== null) return refuse(`registration token ${token.id} was already used`)
    if (token.expires_at <= now) return refuse(`registration token ${token.id} expired`)
    const id = randomUUID()
    // The guarded update is what makes the token single-use when two agents race with it.
    const claimed = await this.#db
      .updateTable('agent_registration_tokens')
      .set({ used_at: now, used_by_agent_id: id })
      .where('id', '=', token.id)
      .where('used_at', 'is', null)
      .executeTakeFirst()
    if (claimed.numUpdatedRows !== 1n) return refuse(`registration token ${token.id} was already used`)
    const row: AgentTable = {
      id,
      tenant_id: token.tenant_id,
      host: agent.host,
      version: agent.version,
      identity_public_key: agent.identityPublicKey,
      encryption_public_key: agent.encryptionPublicKey,
      keys_created_at: now,
      registered_at: now,
      last_seen_at: null,
      state: 'offline',
      connected_node: null,
      revoked_at: null,
    }
    await this.#db.insertInto('agents').values(row).execute()
    return { ok: true, value: toAgent(row) }
  }

  async get(id: string): Promise<Agent | undefined> {
    const row = await this.#db.selectFrom('agents').selectAll().where('id', '=', id).executeTakeFirst()
    return row && toAgent(row)
  }

  async list(tenantId: string): Promise<Agent[]> {
    const rows = await this.#db
      .selectFrom('agents')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .orderBy('registered_at')
      .execute()
    return rows.map(toAgent)
  }

  async rotateKeys(
    tenantId: string,
    id: string,
    keys: Pick<Agent, 'identityPublicKey' | 'encryptionPublicKey'>,
  ): Promise<Agent | undefined> {
    await this.#db
      .updateTable('agents')
      .set({
        identity_public_key: keys.identityPublicKey,
        encryption_public_key: keys.encryptionPublicKey,
        keys_created_at: this.#clock.now(),
      })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .execute()
    const agent = await this.get(id)
    return agent?.tenantId === tenantId ? agent : undefined
  }

  async markSeen(
    id: string,
    seen: { state: AgentState; node: string | null; host?: string; version?: string },
  ): Promise<void> {
    await this.#db
      .updateTable('agents')
      .set({
        state: seen.state,
        connected_node: seen.node,
        last_seen_at: this.#clock.now(),
        ...(seen.host ? { host: seen.host } : {}),
        ...(seen.version ? { version: seen.version } : {}),
      })
      .where('id', '=', id)
      .execute()
  }

  async revoke(tenantId: string, id: string): Promise<boolean> {
    const result = await this.#db
      .updateTable('agents')
      .set({ revoked_at: this.#clock.now(), state: 'offline' })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .executeTakeFirst()
    return result.numUpdatedRows > 0n
  }
}
