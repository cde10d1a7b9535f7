/** @module Migration 0006: per-user password hash sync health, as the tenant saw it. */
import type { Kysely } from 'kysely'

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('password_hash_sync')
    .addColumn('user_id', 'text', (c) => c.primaryKey().references('users.id').onDelete('cascade'))
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('agent_id', 'text', (c) => c.notNull())
    .addColumn('result', 'text', (c) => c.notNull())
    .addColumn('detail', 'text')
    .addColumn('changed_at', 'bigint')
    .addColumn('synced_at', 'bigint', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('password_hash_sync_tenant').on('password_hash_sync').columns(['tenant_id', 'synced_at']).execute()
}
