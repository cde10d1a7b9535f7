/** @module The unicodePwd value AD takes, built so that the caller can wipe it. */

/**
 * UTF-16LE of the password in double quotes, as AD requires for unicodePwd. The caller owns the
 * buffer and must `wipe` it once the modify has been sent.
 *
 * @example
 * const value = unicodePwdValue(password)
 * try { await client.modify(dn, change(value)) } finally { wipe(value) }
 */
export function unicodePwdValue(password: string): Buffer {
  // Allocated unpooled: a slice of Node's shared pool could outlive the wipe in another buffer's view.
  const value = Buffer.allocUnsafeSlow((password.length + 2) * 2)
  value.write(`"${password}"`, 0, 'utf16le')
  return value
}

/** Overwrites secrets in place; a JS string cannot be wiped, a Buffer can. */
export function wipe(...buffers: ReadonlyArray<Buffer | undefined>): void {
  for (const buffer of buffers) buffer?.fill(0)
}
