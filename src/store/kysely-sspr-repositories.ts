/** @module Security info, reset flows and throttles over Kysely. */
import type { Kysely } from 'kysely'
import { IdbridgeError, type Result } from '../errors/idbridge-error.ts'
import type { Database } from './database-schema.ts'
import type { SecurityInfo, SsprFlowRecord, SsprThrottle } from './sspr-records.ts'
import type { SecurityInfoRepository, SsprFlowRepository, SsprThrottleRepository } from './store.ts'

export class KyselySecurityInfoRepository implements SecurityInfoRepository {
  readonly #db: Kysely<Database>
  constructor(db: Kysely<Database>) {
    this.#db = db
  }

  async get(tenantId: string, userId: string): Promise<SecurityInfo | undefined> {
    const row = await this.#db
      .selectFrom('security_info')
      .select(['methods', 'updated_at'])
      .where('tenant_id', '=', tenantId)
      .where('user_id', '=', userId)
      .executeTakeFirst()
    return row && { ...(JSON.parse(row.methods) as Omit<SecurityInfo, 'updatedAt'>), updatedAt: row.updated_at }
  }

  async put(tenantId: string, userId: string, info: SecurityInfo): Promise<void> {
    const { updatedAt, ...methods } = info
    const values = { methods: JSON.stringify(methods), updated_at: updatedAt }
    await this.#db
      .insertInto('security_info')
      .values({ tenant_id: tenantId, user_id: userId, ...values })
      .onConflict((oc) => oc.column('user_id').doUpdateSet(values))
      .execute()
  }
}

export class KyselySsprFlowRepository implements SsprFlowRepository {
  readonly #db: Kysely<Database>
  constructor(db: Kysely<Database>) {
    this.#db = db
  }

  async create(flow: Omit<SsprFlowRecord, 'version'>): Promise<SsprFlowRecord> {
    await this.#db
      .insertInto('sspr_flows')
      .values({
        id_hash: flow.idHash,
        tenant_id: flow.tenantId,
        state: JSON.stringify(flow.state),
        version: 1,
        expires_at: flow.expiresAt,
      })
      .execute()
    return { ...flow, version: 1 }
  }

  async get(tenantId: string, idHash: string, now: number): Promise<SsprFlowRecord | undefined> {
    const row = await this.#db
      .selectFrom('sspr_flows')
      .selectAll()
      .where('id_hash', '=', idHash)
      .where('tenant_id', '=', tenantId)
      .where('expires_at', '>', now)
      .executeTakeFirst()
    return (
      row && {
        idHash: row.id_hash,
        tenantId: row.tenant_id,
        state: JSON.parse(row.state),
        version: row.version,
        expiresAt: row.expires_at,
      }
    )
  }

  async update(flow: SsprFlowRecord, state: unknown): Promise<Result<SsprFlowRecord>> {
    // The version check makes two tabs (or a replayed POST) racing on one flow apply one step, not two.
    const updated = await this.#db
      .updateTable('sspr_flows')
      .set({ state: JSON.stringify(state), version: flow.version + 1 })
      .where('id_hash', '=', flow.idHash)
      .where('version', '=', flow.version)
      .executeTakeFirst()
    if (Number(updated.numUpdatedRows) !== 1) {
      return { ok: false, error: new IdbridgeError('IDB_ERR_PRECONDITION_FAILED', { detail: 'the flow moved on' }) }
    }
    return { ok: true, value: { ...flow, state, version: flow.version + 1 } }
  }

  async delete(idHash: string): Promise<void> {
    await this.#db.deleteFrom('sspr_flows').where('id_hash', '=', idHash).execute()
  }

  async deleteExpired(now: number): Promise<number> {
    const result = await this.#db.deleteFrom('sspr_flows').where('expires_at', '<=', now).executeTakeFirst()
    return Number(result.numDeletedRows)
  }
}

export class KyselySsprThrottleRepository implements SsprThrottleRepository {
  readonly #db: Kysely<Database>
  constructor(db: Kysely<Database>) {
    this.#db = db
  }

  async get(tenantId: string, subjectKey: string): Promise<SsprThrottle | undefined> {
    const row = await this.#db
      .selectFrom('sspr_throttles')
      .select(['attempts', 'blocked_until'])
      .where('tenant_id', '=', tenantId)
      .where('subject_key', '=', subjectKey)
      .executeTakeFirst()
    return row && { attempts: JSON.parse(row.attempts) as number[], blockedUntil: row.blocked_until }
  }

  async put(tenantId: string, subjectKey: string, throttle: SsprThrottle): Promise<void> {
    const values = { attempts: JSON.stringify(throttle.attempts), blocked_until: throttle.blockedUntil }
    await this.#db
      .insertInto('sspr_throttles')
      .values({ tenant_id: tenantId, subject_key: subjectKey, ...values })
      .onConflict((oc) => oc.columns(['tenant_id', 'subject_key']).doUpdateSet(values))
      .execute()
  }
}
