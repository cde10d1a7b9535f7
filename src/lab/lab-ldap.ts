/** @module LDAPS access to a running lab with ldapts, verifying the lab's own CA. */
import { readFile } from 'node:fs/promises'
import { Client } from 'ldapts'

export interface LdapsTarget {
  readonly ldapUrl: string
  readonly caCertPath: string
}

/**
 * Binds as `dn`, runs `work` with the client, and always unbinds. Verification is strict: the
 * DC certificate carries the lab address as a subjectAltName.
 *
 * @example
 * const entries = await withLdaps(info, info.admin.dn, info.admin.password, (c) => c.search(info.baseDn))
 */
export async function withLdaps<T>(
  target: LdapsTarget,
  dn: string,
  password: string,
  work: (client: Client) => Promise<T>,
  timeoutMs = 10_000,
): Promise<T> {
  const client = new Client({
    url: target.ldapUrl,
    timeout: timeoutMs,
    connectTimeout: timeoutMs,
    tlsOptions: { ca: [await readFile(target.caCertPath)] },
  })
  try {
    await client.bind(dn, password)
    return await work(client)
  } finally {
    await client.unbind().catch(() => {})
  }
}
