/** @module Tenants over Kysely. */
import { randomUUID } from 'node:crypto'
import type { Kysely } from 'kysely'
import { IdbridgeError, type Result } from '../errors/idbridge-error.ts'
import type { Clock } from '../time/clock.ts'
import type { Database } from './database-schema.ts'
import { toTenant } from './row-mappers.ts'
import type { TenantRepository } from './store.ts'
import type { Tenant } from './store-records.ts'
import { type TenantSettings, tenantSettingsSchema } from './tenant-settings.ts'
import { isUniqueViolation } from './unique-violation.ts'

export class KyselyTenantRepository implements TenantRepository {
  readonly #db: Kysely<Database>
  readonly #clock: Clock
  constructor(db: Kysely<Database>, clock: Clock) {
    this.#db = db
    this.#clock = clock
  }

  async create(
    tenant: Pick<Tenant, 'name' | 'displayName' | 'domain'> & { settings?: Partial<TenantSettings> },
  ): Promise<Result<Tenant>> {
    const row = {
      id: randomUUID(),
      name: tenant.name,
      display_name: tenant.displayName,
      domain: tenant.domain,
      settings: JSON.stringify(tenantSettingsSchema.parse(tenant.settings ?? {})),
      created_at: this.#clock.now(),
    }
    try {
      await this.#db.insertInto('tenants').values(row).execute()
    } catch (error) {
      if (isUniqueViolation(error)) {
        return { ok: false, error: new IdbridgeError('IDB_ERR_CONFLICT', { detail: `tenant ${tenant.name} exists` }) }
      }
      throw error
    }
    return { ok: true, value: toTenant(row) }
  }

  async get(id: string): Promise<Tenant | undefined> {
    const row = await this.#db.selectFrom('tenants').selectAll().where('id', '=', id).executeTakeFirst()
    return row && toTenant(row)
  }

  async getByName(name: string): Promise<Tenant | undefined> {
    const row = await this.#db.selectFrom('tenants').selectAll().where('name', '=', name).executeTakeFirst()
    return row && toTenant(row)
  }

  async list(): Promise<Tenant[]> {
    const rows = await this.#db.selectFrom('tenants').selectAll().orderBy('name').execute()
    return rows.map(toTenant)
  }

  async updateSettings(id: string, settings: TenantSettings): Promise<Tenant | undefined> {
    const text = JSON.stringify(tenantSettingsSchema.parse(settings))
    await this.#db.updateTable('tenants').set({ settings: text }).where('id', '=', id).execute()
    return this.get(id)
  }
}
