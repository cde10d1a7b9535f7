/** @module Puts the bench users the run reset back the way the lab promises them: the bench password, not locked. */
import { readFileSync } from 'node:fs'
import { Attribute, Change, Client } from 'ldapts'
import type { LabInfo } from '../../lab/lab-info.ts'

/**
 * As the lab admin over LDAPS: `unicodePwd` replaced (an admin reset, so AD's history does not
 * refuse the old bench password) and `lockoutTime` cleared, in case a check's failing bind added
 * up. A few connections at once; Samba serializes the writes anyway. Returns the users it could
 * not restore, so the caller can say so.
 *
 * @example
 * const failed = await restoreBenchPasswords(lab, ['CN=bench00101,OU=Bench,…'])
 */
export async function restoreBenchPasswords(lab: LabInfo, dns: readonly string[], parallel = 3): Promise<string[]> {
  const failed: string[] = []
  const ca = readFileSync(lab.caCertPath)
  let next = 0
  const value = Buffer.from(`"${lab.bulk.password}"`, 'utf16le')
  const changes = [
    new Change({ operation: 'replace', modification: new Attribute({ type: 'unicodePwd', values: [value] }) }),
    new Change({ operation: 'replace', modification: new Attribute({ type: 'lockoutTime', values: ['0'] }) }),
  ]
  const worker = async () => {
    const admin = new Client({ url: lab.ldapUrl, tlsOptions: { ca }, timeout: 30_000, connectTimeout: 10_000 })
    try {
      await admin.bind(lab.admin.dn, lab.admin.password)
      for (let i = next++; i < dns.length; i = next++) {
        await admin.modify(dns[i]!, changes).catch((err: unknown) => failed.push(`${dns[i]}: ${err instanceof Error ? err.message : String(err)}`))
      }
    } finally {
      await admin.unbind().catch(() => {})
    }
  }
  await Promise.all(Array.from({ length: Math.min(parallel, dns.length) }, worker))
  return failed
}
