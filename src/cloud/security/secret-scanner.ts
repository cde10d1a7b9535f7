/** @module Test support: every form a known secret could take on disk, and a scan of byte sources for them. */
import { ntHash } from '../../crypto/org-id-hash.ts'

/** A secret a scenario planted, with the places it may legitimately be. */
export interface KnownSecret {
  readonly label: string
  readonly value: string
  /** Passwords are also searched as their NT hash, the one thing password hash sync must never move. */
  readonly kind: 'password' | 'token'
  /** Source names (prefix match) where this secret has to be, such as the TOTP secret in the store. */
  readonly allowedIn?: readonly string[]
}

/** Something to scan: a log, a file, a table dump, a bundle. */
export interface ScanSource {
  readonly name: string
  readonly bytes: Buffer
}

export interface Leak {
  readonly secret: string
  readonly form: string
  readonly source: string
}

/** The encodings a secret is searched in: text as UTF-8 and UTF-16LE; for passwords the NT hash in hex, base64 and raw. */
export async function secretForms(secret: KnownSecret): Promise<{ form: string; bytes: Buffer }[]> {
  const forms = [
    { form: 'UTF-8', bytes: Buffer.from(secret.value, 'utf8') },
    { form: 'UTF-16LE', bytes: Buffer.from(secret.value, 'utf16le') },
  ]
  if (secret.kind !== 'password') return forms
  const nt = await ntHash(secret.value)
  const hex = nt.toString('hex')
  return [
    ...forms,
    { form: 'NT hash, hex', bytes: Buffer.from(hex) },
    { form: 'NT hash, HEX', bytes: Buffer.from(hex.toUpperCase()) },
    // What the OrgId hash stretches: UTF-16LE of the uppercase hex; as secret as the NT hash itself.
    { form: 'NT hash, HEX in UTF-16LE', bytes: Buffer.from(hex.toUpperCase(), 'utf16le') },
    { form: 'NT hash, base64', bytes: Buffer.from(nt.toString('base64').replace(/=+$/, '')) },
    { form: 'NT hash, base64url', bytes: Buffer.from(nt.toString('base64url')) },
    { form: 'NT hash, raw', bytes: nt },
  ]
}

/** Every (secret, form, source) where a secret shows up outside the places it is allowed. */
export async function scanForSecrets(sources: readonly ScanSource[], secrets: readonly KnownSecret[]): Promise<Leak[]> {
  const leaks: Leak[] = []
  for (const secret of secrets) {
    const forms = await secretForms(secret)
    for (const source of sources) {
      if (secret.allowedIn?.some((prefix) => source.name.startsWith(prefix))) continue
      for (const { form, bytes } of forms) {
        if (source.bytes.includes(bytes)) leaks.push({ secret: secret.label, form, source: source.name })
      }
    }
  }
  return leaks
}
