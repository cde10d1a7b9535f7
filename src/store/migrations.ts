/** @module The one set of migrations, written once for SQLite and PostgreSQL alike. */
import { type Kysely, type Migration, type MigrationProvider, Migrator, PostgresAdapter, sql } from 'kysely'
import { IdbridgeError } from '../errors/idbridge-error.ts'
import type { Database } from './database-schema.ts'
import { up as upSspr } from './migration-0005-sspr.ts'
import { up as upPasswordHashSync } from './migration-0006-password-hash-sync.ts'

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations run before the schema they create exists
type AnyDb = Kysely<any>

const migrations: Record<string, Migration> = {
  '0001_core': {
    async up(db: AnyDb) {
      await db.schema
        .createTable('tenants')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull().unique())
        .addColumn('display_name', 'text', (c) => c.notNull())
        .addColumn('domain', 'text', (c) => c.notNull())
        .addColumn('settings', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute()
      await db.schema
        .createTable('users')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
        .addColumn('user_principal_name', 'text', (c) => c.notNull())
        .addColumn('upn_key', 'text', (c) => c.notNull())
        .addColumn('given_name', 'text')
        .addColumn('surname', 'text')
        .addColumn('display_name', 'text')
        .addColumn('mail', 'text')
        .addColumn('mobile', 'text')
        .addColumn('account_enabled', 'integer', (c) => c.notNull())
        .addColumn('roles', 'text', (c) => c.notNull())
        .addColumn('password_policies', 'text', (c) => c.notNull())
        .addColumn('licenses', 'text', (c) => c.notNull())
        .addColumn('immutable_id', 'text')
        .addColumn('on_prem_dn', 'text')
        .addColumn('on_prem_sam', 'text')
        .addColumn('on_prem_sync_enabled', 'integer', (c) => c.notNull())
        .addColumn('sessions_valid_from', 'bigint', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .execute()
      await db.schema.createIndex('users_upn').unique().on('users').columns(['tenant_id', 'upn_key']).execute()
      await db.schema
        .createIndex('users_immutable_id')
        .unique()
        .on('users')
        .columns(['tenant_id', 'immutable_id'])
        .execute()
      await db.schema
        .createTable('credentials')
        .addColumn('tenant_id', 'text', (c) => c.notNull())
        .addColumn('user_id', 'text', (c) => c.primaryKey().references('users.id').onDelete('cascade'))
        .addColumn('verifier', 'text', (c) => c.notNull())
        .addColumn('must_change', 'integer', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .execute()
      await db.schema
        .createTable('groups')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
        .addColumn('display_name', 'text', (c) => c.notNull())
        .addColumn('name_key', 'text', (c) => c.notNull())
        .addColumn('description', 'text')
        .addColumn('immutable_id', 'text')
        .addColumn('on_prem_sync_enabled', 'integer', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .execute()
      await db.schema.createIndex('groups_name').unique().on('groups').columns(['tenant_id', 'name_key']).execute()
      await db.schema
        .createTable('group_members')
        .addColumn('tenant_id', 'text', (c) => c.notNull())
        .addColumn('group_id', 'text', (c) => c.notNull().references('groups.id').onDelete('cascade'))
        .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addPrimaryKeyConstraint('group_members_pk', ['group_id', 'user_id'])
        .execute()
      await db.schema.createIndex('group_members_user').on('group_members').column('user_id').execute()
      await db.schema
        .createTable('sessions')
        .addColumn('id_hash', 'text', (c) => c.primaryKey())
        .addColumn('tenant_id', 'text', (c) => c.notNull())
        .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('expires_at', 'bigint', (c) => c.notNull())
        .execute()
      await db.schema
        .createTable('admin_tokens')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
        .addColumn('token_hash', 'text', (c) => c.notNull().unique())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('expires_at', 'bigint')
        .addColumn('revoked_at', 'bigint')
        .execute()
      await db.schema
        .createTable('sign_in_lockouts')
        .addColumn('tenant_id', 'text', (c) => c.notNull())
        .addColumn('user_id', 'text', (c) => c.primaryKey().references('users.id').onDelete('cascade'))
        .addColumn('failures', 'integer', (c) => c.notNull())
        .addColumn('lock_level', 'integer', (c) => c.notNull())
        .addColumn('locked_until', 'bigint', (c) => c.notNull())
        .addColumn('recent_bad', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .execute()
      await db.schema
        .createTable('audit_events')
        // Ids sort by time, so (at, id) pages the log without a dialect-specific sequence.
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('tenant_id', 'text', (c) => c.notNull())
        .addColumn('at', 'bigint', (c) => c.notNull())
        .addColumn('activity', 'text', (c) => c.notNull())
        .addColumn('service', 'text', (c) => c.notNull())
        .addColumn('category', 'text', (c) => c.notNull())
        .addColumn('actor', 'text', (c) => c.notNull())
        .addColumn('target', 'text')
        .addColumn('result', 'text', (c) => c.notNull())
        .addColumn('failure_reason', 'text')
        .addColumn('correlation_id', 'text', (c) => c.notNull())
        .addColumn('details', 'text', (c) => c.notNull())
        .execute()
      await db.schema.createIndex('audit_events_tenant_at').on('audit_events').columns(['tenant_id', 'at']).execute()
    },
  },
  '0002_agents': {
    async up(db: AnyDb) {
      await db.schema
        .createTable('agents')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
        .addColumn('host', 'text', (c) => c.notNull())
        .addColumn('version', 'text', (c) => c.notNull())
        .addColumn('identity_public_key', 'text', (c) => c.notNull())
        .addColumn('encryption_public_key', 'text', (c) => c.notNull())
        .addColumn('keys_created_at', 'bigint', (c) => c.notNull())
        .addColumn('registered_at', 'bigint', (c) => c.notNull())
        .addColumn('last_seen_at', 'bigint')
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('connected_node', 'text')
        .addColumn('revoked_at', 'bigint')
        .execute()
      await db.schema.createIndex('agents_tenant').on('agents').column('tenant_id').execute()
      await db.schema
        .createTable('agent_registration_tokens')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
        .addColumn('token_hash', 'text', (c) => c.notNull().unique())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('expires_at', 'bigint', (c) => c.notNull())
        .addColumn('used_at', 'bigint')
        .addColumn('used_by_agent_id', 'text')
        .execute()
    },
  },
  '0003_sync': {
    async up(db: AnyDb) {
      // AD-side facts that reset decisions need (protected, pwdLastSet, lockout), kept as one JSON value.
      await db.schema.alterTable('users').addColumn('on_prem_state', 'text').execute()
      await db.schema
        .createTable('sync_runs')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
        .addColumn('agent_id', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('started_at', 'bigint', (c) => c.notNull())
        .addColumn('finished_at', 'bigint')
        .addColumn('created', 'integer', (c) => c.notNull())
        .addColumn('updated', 'integer', (c) => c.notNull())
        .addColumn('deleted', 'integer', (c) => c.notNull())
        .addColumn('failed', 'integer', (c) => c.notNull())
        .addColumn('pending_deletes', 'text', (c) => c.notNull())
        .addColumn('details', 'text', (c) => c.notNull())
        .execute()
      await db.schema.createIndex('sync_runs_tenant').on('sync_runs').columns(['tenant_id', 'started_at']).execute()
      // Which anchors a full run saw, so the tenant itself finds the users AD no longer has.
      await db.schema
        .createTable('sync_run_anchors')
        .addColumn('run_id', 'text', (c) => c.notNull().references('sync_runs.id').onDelete('cascade'))
        .addColumn('immutable_id', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('sync_run_anchors_pk', ['run_id', 'immutable_id'])
        .execute()
    },
  },
  '0004_agent_events': {
    async up(db: AnyDb) {
      // The agents' event logs, shipped to the tenant so an admin reads them without a shell on the agent host.
      await db.schema
        .createTable('agent_events')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('tenant_id', 'text', (c) => c.notNull())
        .addColumn('agent_id', 'text', (c) => c.notNull())
        .addColumn('at', 'bigint', (c) => c.notNull())
        .addColumn('event_id', 'integer', (c) => c.notNull())
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('level', 'text', (c) => c.notNull())
        .addColumn('message', 'text', (c) => c.notNull())
        .addColumn('data', 'text', (c) => c.notNull())
        .execute()
      await db.schema.createIndex('agent_events_tenant_at').on('agent_events').columns(['tenant_id', 'at']).execute()
    },
  },
  '0005_sspr': { up: upSspr },
  '0006_password_hash_sync': { up: upPasswordHashSync },
  '0007_users_by_tenant_and_id': {
    // Bulk updates ask for `tenant_id = ? AND id IN (…)`. Without statistics SQLite answers that
    // from users_immutable_id (tenant_id) and scans every user of the tenant for each batch;
    // this index serves both terms (8 ms → under 1 ms per 50 users at 10,000).
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema.createIndex('users_tenant_id').on('users').columns(['tenant_id', 'id']).execute()
    },
  },
}

const provider: MigrationProvider = { getMigrations: async () => migrations }

/** In the order they run; `idbridge doctor` compares the newest with what the database has. */
export const migrationNames: readonly string[] = Object.keys(migrations).sort()

/** Brings the schema to the newest migration; an error names the migration that failed. */
export async function migrateToLatest(db: Kysely<Database>): Promise<void> {
  const migrator = new Migrator({ db, provider, migrationTableSchema: await ownSchema(db) })
  const { error, results } = await migrator.migrateToLatest()
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown'
    throw new IdbridgeError('IDB_ERR_STORE_UNAVAILABLE', { detail: `migration ${failed} failed`, cause: error })
  }
  // Touch the schema so that a broken connection surfaces here, at start-up, not on the first request.
  await sql`select 1`.execute(db)
}

/**
 * The PostgreSQL schema this connection works in. Kysely otherwise takes a kysely_migration table
 * in any schema for its own, so a second idbridge schema on the same database (database.schema)
 * would skip creating its bookkeeping tables and fail to migrate.
 */
async function ownSchema(db: Kysely<Database>): Promise<string | undefined> {
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return undefined
  try {
    const { rows } = await sql<{ schema: string | null }>`select current_schema() as schema`.execute(db)
    return rows[0]?.schema ?? undefined
  } catch (cause) {
    // The first statement on a new connection: an unreachable server surfaces here.
    throw new IdbridgeError('IDB_ERR_STORE_UNAVAILABLE', { detail: 'cannot read the current schema', cause })
  }
}
