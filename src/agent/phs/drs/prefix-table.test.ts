import assert from 'node:assert/strict'
import { test } from 'node:test'
import { DrsError } from './drs-error.ts'
import { AttributeOid, PrefixTable, attributeKey, berToOid, oidToBer } from './prefix-table.ts'

test('OIDs encode to BER contents octets and back', () => {
  assert.equal(oidToBer('1.2.840.113556.1.4.90').toString('hex'), '2a864886f7140104' + '5a')
  assert.equal(oidToBer('2.5.4.0').toString('hex'), '550400')
  assert.equal(oidToBer('2.999.3').toString('hex'), '883703')
  for (const oid of ['1.2.840.113556.1.4.656', '0.9.2342.19200300.100.1.1', '2.999.3', '1.3.6.1.4.1.311.21.20']) {
    assert.equal(berToOid(oidToBer(oid)), oid)
  }
  for (const bad of ['', '1', '3.1', '1.40', '1.2.-3', '1.2.x', '1..2', '1.2.99999999999999999999']) {
    assert.throws(() => oidToBer(bad), (e) => DrsError.is(e) && e.code === 'DRS_INVALID_REQUEST', bad)
  }
  assert.equal(berToOid(Buffer.from([0x2a, 0x86])), undefined) // truncated arc
  assert.equal(berToOid(Buffer.from([0x2a, 0x80, 0x01])), undefined) // non-minimal
  assert.equal(berToOid(Buffer.alloc(0)), undefined)
  assert.equal(berToOid(Buffer.from([0x2a, ...Array<number>(12).fill(0xff), 0x7f])), undefined) // arc too large
})

test('the default table gives the ATTRTYPs AD uses for the attributes we read', () => {
  const table = PrefixTable.withDefaults()
  const expected: Record<string, number> = {
    [AttributeOid.objectClass]: 0x00000000,
    [AttributeOid.unicodePwd]: 0x0009005a,
    [AttributeOid.objectSid]: 0x00090092,
    [AttributeOid.sAMAccountName]: 0x000900dd,
    [AttributeOid.userAccountControl]: 0x00090008,
    [AttributeOid.pwdLastSet]: 0x00090060,
    [AttributeOid.userPrincipalName]: 0x00090290,
    [AttributeOid.msDSConsistencyGuid]: 0x00090550,
    [AttributeOid.isDeleted]: 0x00020030,
    [AttributeOid.whenChanged]: 0x00020003,
    [AttributeOid.ntPwdHistory]: 0x0009005e,
  }
  for (const [oid, attid] of Object.entries(expected)) {
    assert.equal(table.attidFromOid(oid), attid, oid)
    assert.equal(table.oidFromAttid(attid), oid)
  }
})

test('a new prefix is added, and arcs of two and three bytes round-trip', () => {
  const table = PrefixTable.withDefaults()
  const before = table.entries.length
  const a = table.attidFromOid('1.3.6.1.4.1.99999.1.200')
  const b = table.attidFromOid('1.3.6.1.4.1.99999.1.20000')
  // 20000 takes three BER bytes, so its prefix keeps the first of them: a second new prefix.
  assert.equal(table.entries.length, before + 2)
  assert.notEqual(a >>> 16, b >>> 16)
  assert.equal(a & 0xffff, 200)
  assert.equal(b & 0xffff, 0x8000 | (20000 % 0x4000))
  assert.equal(table.attidFromOid('1.3.6.1.4.1.99999.1.201'), a + 1)
  assert.equal(table.entries.length, before + 2)
  assert.equal(table.oidFromAttid(a), '1.3.6.1.4.1.99999.1.200')
  assert.equal(table.oidFromAttid(b), '1.3.6.1.4.1.99999.1.20000')
  // A DC's table, keyed by its own indexes, resolves the same OID from a different ATTRTYP.
  const dcTable = new PrefixTable([{ index: 0x1234, prefix: oidToBer('1.2.840.113556.1.4') }])
  assert.equal(dcTable.oidFromAttid(0x1234005a), '1.2.840.113556.1.4.90')
})

test('unknown indexes and msDS-IntId ATTRTYPs have no OID and get a stable key', () => {
  const table = PrefixTable.withDefaults()
  assert.equal(table.oidFromAttid(0x7fff0001), undefined)
  assert.equal(table.oidFromAttid(0x80001234), undefined)
  assert.equal(attributeKey(table, 0x80001234), 'attid:0x80001234')
  assert.equal(attributeKey(table, 0x0009005a), AttributeOid.unicodePwd)
})

test("a DC's schemaInfo entry (ndx 0, 0xFF + revision + GUID) neither shadows 2.5.4 nor counts as a prefix", () => {
  const schemaInfo = Buffer.concat([Buffer.from([0xff, 0, 0, 0, 7]), Buffer.alloc(16, 0xab)])
  for (const order of [0, 1]) {
    const entries = [
      { index: 0, prefix: oidToBer('2.5.4') },
      { index: 0, prefix: schemaInfo },
    ]
    const table = new PrefixTable(order ? entries.reverse() : entries)
    assert.equal(table.oidFromAttid(0x00000003), '2.5.4.3')
    assert.deepEqual(table.schemaInfo, schemaInfo)
    assert.equal(table.entries.length, 1)
  }
})
