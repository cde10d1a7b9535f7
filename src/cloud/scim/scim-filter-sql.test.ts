/** @module Contract tests for compileScimFilter against SQLite and PostgreSQL. */
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { after, before, describe, test } from 'node:test'
import Database from 'better-sqlite3'
import { Kysely, PostgresDialect, SqliteDialect, sql } from 'kysely'
import pg from 'pg'
import { parseScimFilter } from './scim-filter.ts'
import { compileScimFilter, type ScimAttributeMap } from './scim-filter-sql.ts'

interface Backend {
  readonly name: string
  open(table: string): Promise<{ db: Kysely<Record<string, Row>>; close(): Promise<void> }>
}

interface Row {
  id: string
  user_name: string | null
  given_name: string | null
  email: string | null
  email_type: string | null
  external_id: string | null
  active: number | null
  last_modified: number | null
}

const pgUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test'

const backends: readonly Backend[] = [
  {
    name: 'sqlite',
    async open() {
      const db = new Kysely<Record<string, Row>>({ dialect: new SqliteDialect({ database: new Database(':memory:') }) })
      return { db, close: () => db.destroy() }
    },
  },
  {
    name: 'postgres',
    async open(table) {
      // One connection, so the TEMP table is visible to every query and vanishes with the session.
      const pool = new pg.Pool({ connectionString: pgUrl, max: 1 })
      const db = new Kysely<Record<string, Row>>({ dialect: new PostgresDialect({ pool }) })
      return {
        db,
        async close() {
          await sql`DROP TABLE IF EXISTS ${sql.table(table)}`.execute(db)
          await db.destroy()
        },
      }
    },
  },
]

const attributes: ScimAttributeMap = {
  id: { column: 'id', type: 'string', caseExact: true },
  username: { column: 'user_name', type: 'string' },
  'name.givenname': { column: 'given_name', type: 'string' },
  'emails.value': { column: 'email', type: 'string' },
  'emails.type': { column: 'email_type', type: 'string' },
  externalid: { column: 'external_id', type: 'string', caseExact: true },
  active: { column: 'active', type: 'boolean' },
  'meta.lastmodified': { column: 'last_modified', type: 'datetime' },
}

const T0 = Date.parse('2024-01-01T00:00:00Z')
const rows: Row[] = [
  row('1', 'bjensen', 'Barbara', 'bjensen@example.com', 'work', 'EXT-a', 1, T0),
  row('2', 'JSmith', 'John', 'john@example.org', 'home', 'ext-b', 0, T0 + 1000),
  row('3', "x' OR 1=1 --", null, null, null, null, null, null),
  row('4', '100%_sure\\', '', 'pct@example.com', 'work', 'EXT-A', 1, T0 + 2000),
  row('5', null, 'Ann', 'ann@EXAMPLE.com', 'work', null, 0, T0 - 1),
]

function row(...v: [string, ...(string | number | null)[]]): Row {
  const [id, user_name, given_name, email, email_type, external_id, active, last_modified] = v
  return { id, user_name, given_name, email, email_type, external_id, active, last_modified } as Row
}

const cases: ReadonlyArray<readonly [string, readonly string[]]> = [
  ['userName eq "bjensen"', ['1']],
  ['USERNAME EQ "BJENSEN"', ['1']],
  ['urn:ietf:params:scim:schemas:core:2.0:User:userName eq "jsmith"', ['2']],
  ['userName ne "bjensen"', ['2', '3', '4', '5']],
  ['not (userName eq "bjensen")', ['2', '3', '4', '5']],
  ['userName co "sen"', ['1']],
  ['userName sw "j"', ['2']],
  ['userName ew "SMITH"', ['2']],
  ['userName co ""', ['1', '2', '3', '4']],
  ['userName gt "c"', ['2', '3']],
  ['userName le "bjensen"', ['1', '4']],
  ['userName pr', ['1', '2', '3', '4']],
  ['name.givenName pr', ['1', '2', '5']],
  ['name.givenName eq null', ['3']],
  ['name.givenName ne null', ['1', '2', '4', '5']],
  ['userName eq null', ['5']],
  ['active eq true', ['1', '4']],
  ['active eq false', ['2', '5']],
  ['active ne true', ['2', '3', '5']],
  ['active pr', ['1', '2', '4', '5']],
  ['meta.lastModified gt "2024-01-01T00:00:00Z"', ['2', '4']],
  ['meta.lastModified ge "2024-01-01T00:00:00Z"', ['1', '2', '4']],
  ['meta.lastModified lt "2024-01-01T01:00:00+01:00"', ['5']],
  ['meta.lastModified eq "2024-01-01T00:00:01.000Z"', ['2']],
  ['meta.lastModified le "2023-12-31T23:59:59.999Z"', ['5']],
  ['emails[type eq "work" and value co "@example.com"]', ['1', '4', '5']],
  ['emails[type eq "work"] and not (emails.value ew "example.com")', []],
  ['emails.value ew "EXAMPLE.COM"', ['1', '4', '5']],
  ['externalId eq "EXT-A"', ['4']],
  ['externalId ne "EXT-A"', ['1', '2', '3', '5']],
  ['externalId sw "EXT"', ['1', '4']],
  ['externalId ew "-a"', ['1']],
  ['externalId co "T-"', ['1', '4']],
  ['externalId co ""', ['1', '2', '4']],
  ['externalId gt "EXT-a"', ['2']],
  ['id eq "1" or id eq "2" and active eq true', ['1']],
  ['(id eq "1" or id eq "2") and active eq false', ['2']],
  // Injection attempts and LIKE metacharacters are data, nothing more.
  ['userName eq "x\' OR 1=1 --"', ['3']],
  ["userName eq \"x' OR '1'='1\"", []],
  ['userName co "%"', ['4']],
  ['userName co "_"', ['4']],
  ['userName co "\\\\"', ['4']],
  ['userName ew "%_sure\\\\"', ['4']],
  ['userName sw "\'"', []],
  ['userName co "\\" OR 1=1 --"', []],
  ['externalId co "%"', []],
  ['externalId sw "_"', []],
]

for (const backend of backends) {
  describe(`${backend.name}: compileScimFilter`, () => {
    const table = `scim_filter_${randomBytes(6).toString('hex')}`
    let handle: Awaited<ReturnType<Backend['open']>>
    before(async () => {
      handle = await backend.open(table)
      const temp = backend.name === 'postgres' ? sql`TEMP ` : sql``
      await sql`CREATE ${temp}TABLE ${sql.table(table)} (
        id text PRIMARY KEY, user_name text, given_name text, email text, email_type text,
        external_id text, active integer, last_modified bigint)`.execute(handle.db)
      await handle.db.insertInto(table).values(rows).execute()
    })
    after(() => handle.close())

    async function matching(filter: string): Promise<string[]> {
      const parsed = parseScimFilter(filter)
      assert.ok(parsed.ok, parsed.ok ? '' : parsed.error.message)
      const where = compileScimFilter(parsed.value, attributes)
      assert.ok(where.ok, where.ok ? '' : where.error.message)
      const found = await handle.db.selectFrom(table).select('id').where(where.value).orderBy('id').execute()
      return found.map((r) => r.id)
    }

    for (const [filter, expected] of cases) {
      test(`${filter} matches [${expected.join(', ')}]`, async () => {
        assert.deepEqual(await matching(filter), expected)
      })
    }

    test('the table survived every injection attempt', async () => {
      const count = await handle.db.selectFrom(table).select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow()
      assert.equal(Number(count.n), rows.length)
    })
  })
}

describe('compileScimFilter: values only as parameters', () => {
  test('a filter value never appears in the SQL text', () => {
    const db = new Kysely<Record<string, Row>>({ dialect: new SqliteDialect({ database: new Database(':memory:') }) })
    const parsed = parseScimFilter('userName eq "x\' OR 1=1 --" or emails.value co "50%"')
    assert.ok(parsed.ok)
    const where = compileScimFilter(parsed.value, attributes)
    assert.ok(where.ok)
    const compiled = db.selectFrom('users').select('id').where(where.value).compile()
    assert.doesNotMatch(compiled.sql, /OR 1=1|50/)
    assert.deepEqual(compiled.parameters, ["x' OR 1=1 --", '%50\\%%'])
  })
})

describe('compileScimFilter: rejections', () => {
  const rejected: ReadonlyArray<readonly [string, string]> = [
    ['password eq "x"', 'unsupported attribute "password" at position 0'],
    ['userName eq "a" or constructor eq "x"', 'unsupported attribute "constructor" at position 19'],
    ['hasOwnProperty pr', 'unsupported attribute "hasOwnProperty" at position 0'],
    ['emails[primary eq true]', 'unsupported attribute "emails.primary" at position 7'],
    ['emails.display co "x"', 'unsupported attribute "emails.display" at position 0'],
    ['active eq "true"', 'attribute "active" at position 0 is a boolean; compare it with true or false'],
    ['active gt true', 'operator "gt" is not supported for boolean attribute "active" at position 0'],
    ['userName eq 42', 'attribute "userName" at position 0 needs a string value, not 42'],
    ['userName gt null', 'operator "gt" cannot compare attribute "userName" at position 0 with null'],
    ['meta.lastModified gt "yesterday"', 'needs a date-time such as'],
    ['meta.lastModified gt "2024-02-30T00:00:00Z"', 'needs a date-time such as'],
    ['meta.lastModified gt "2024-01-01T00:00:00"', 'needs a date-time such as'],
    ['meta.lastModified sw "2024-01-01T00:00:00Z"', 'operator "sw" is not supported for date-time'],
  ]
  for (const [filter, detail] of rejected) {
    test(filter, () => {
      const parsed = parseScimFilter(filter)
      assert.ok(parsed.ok)
      const where = compileScimFilter(parsed.value, attributes)
      assert.equal(where.ok, false)
      if (where.ok) return
      assert.equal(where.error.code, 'IDB_ERR_SCIM_FILTER')
      assert.deepEqual(where.error.data, { scimType: 'invalidFilter' })
      assert.ok(where.error.detail?.includes(detail), `${where.error.detail} should include ${detail}`)
    })
  }

  test('a map entry without a column is a programmer mistake and throws', () => {
    const parsed = parseScimFilter('userName pr')
    assert.ok(parsed.ok)
    assert.throws(() => compileScimFilter(parsed.value, { username: { column: '', type: 'string' } }), /needs a column/)
  })
})
