/** @module Tests for scim-date-time.ts. */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { parseScimDateTime } from './scim-date-time.ts'

test('parseScimDateTime accepts zoned xsd:dateTime values', () => {
  assert.equal(parseScimDateTime('2011-05-13T04:42:34Z'), Date.UTC(2011, 4, 13, 4, 42, 34))
  assert.equal(parseScimDateTime('2011-05-13t06:42:34.5+02:00'), Date.UTC(2011, 4, 13, 4, 42, 34, 500))
  assert.equal(parseScimDateTime('2011-05-12T23:42:34.123456789-05:00'), Date.UTC(2011, 4, 13, 4, 42, 34, 123))
  assert.equal(parseScimDateTime('2024-02-29T00:00:00Z'), Date.UTC(2024, 1, 29))
  assert.equal(parseScimDateTime('0050-01-01T00:00:00Z'), -60589296000000)
})

test('parseScimDateTime rejects values without a zone and impossible dates', () => {
  for (const text of [
    '2011-05-13T04:42:34',
    '2011-05-13',
    '2023-02-29T00:00:00Z',
    '2011-13-01T00:00:00Z',
    '2011-05-13T24:00:00Z',
    '2011-05-13T04:60:00Z',
    '2011-05-13T04:42:60Z',
    '2011-05-13T04:42:34+24:00',
    '2011-05-13T04:42:34.Z',
    ' 2011-05-13T04:42:34Z',
    'yesterday',
  ]) {
    assert.equal(parseScimDateTime(text), undefined, text)
  }
})
