/** @module Strict parsing of SCIM `dateTime` values (RFC 7643 §2.3.5, xsd:dateTime with a zone). */

const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:([Zz])|([+-])(\d{2}):(\d{2}))$/

/**
 * Converts `2011-05-13T04:42:34Z` or `2011-05-13T04:42:34.123+02:00` to epoch milliseconds.
 * Unlike `Date.parse` it rejects dates without a zone (whose meaning depends on the server's
 * time zone) and impossible dates such as February 30. Digits below the millisecond are dropped.
 *
 * @returns epoch milliseconds, or `undefined` if the text is not a valid date-time.
 * @example
 * parseScimDateTime('1970-01-01T00:00:01.5Z') // 1500
 */
export function parseScimDateTime(text: string): number | undefined {
  const match = DATE_TIME.exec(text)
  if (!match) return undefined
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ]
  const millis = Number((match[7] ?? '').padEnd(3, '0').slice(0, 3))
  const offsetHours = Number(match[10] ?? 0)
  const offsetMinutes = Number(match[11] ?? 0)
  if (month < 1 || month > 12 || hour > 23 || minute > 59 || second > 59) return undefined
  if (offsetHours > 23 || offsetMinutes > 59) return undefined
  const date = new Date(0)
  // setUTCFullYear, unlike Date.UTC, does not map years 0–99 to 1900–1999.
  date.setUTCFullYear(year, month - 1, day)
  if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return undefined
  date.setUTCHours(hour, minute, second, millis)
  const offset = (match[9] === '-' ? -1 : 1) * (offsetHours * 60 + offsetMinutes) * 60_000
  return date.getTime() - offset
}
