/** @module Building LDIF text safely: any value that LDIF cannot carry as-is goes base64. */

/** RFC 2849 SAFE-STRING: no leading space, colon or less-than, no trailing space, printable ASCII. */
function isSafe(value: string): boolean {
  return /^[\x21-\x39\x3b\x3d-\x7e]([\x20-\x7e]*[\x21-\x7e])?$/.test(value) || value === ''
}

/**
 * One `attr: value` line, base64-encoded when needed.
 *
 * @example
 * ldifLine('sn', 'Lovelace') // 'sn: Lovelace'
 */
export function ldifLine(attribute: string, value: string | number): string {
  const text = String(value)
  return isSafe(text) ? `${attribute}: ${text}` : `${attribute}:: ${Buffer.from(text, 'utf8').toString('base64')}`
}

/** AD takes a password as the UTF-16LE of the quoted string; LDIF must carry it base64. */
export function unicodePwdLine(password: string): string {
  return `unicodePwd:: ${Buffer.from(`"${password}"`, 'utf16le').toString('base64')}`
}

/** An add record: `attributes` values may be arrays for multi-valued attributes. */
export function ldifAdd(dn: string, attributes: Record<string, string | number | readonly string[]>): string {
  const lines = [ldifLine('dn', dn), 'changetype: add']
  for (const [name, value] of Object.entries(attributes)) {
    for (const v of Array.isArray(value) ? value : [value]) lines.push(ldifLine(name, v as string))
  }
  return `${lines.join('\n')}\n\n`
}

/** A modify record; each change is `[operation, attribute, values]`, and raw lines pass through. */
export function ldifModify(
  dn: string,
  changes: ReadonlyArray<readonly ['add' | 'replace' | 'delete', string, ReadonlyArray<string | number>] | string>,
): string {
  const lines = [ldifLine('dn', dn), 'changetype: modify']
  for (const change of changes) {
    if (typeof change === 'string') {
      const attribute = change.split(':')[0]!
      lines.push(`replace: ${attribute}`, change, '-')
      continue
    }
    const [operation, attribute, values] = change
    lines.push(`${operation}: ${attribute}`, ...values.map((v) => ldifLine(attribute, v)), '-')
  }
  return `${lines.join('\n')}\n\n`
}
