/** @module Turns replicated NT hashes into OrgId verifiers, the only form in which a password leaves the agent. */
import { randomBytes } from 'node:crypto'
import { formatOrgIdVerifier, ORG_ID_ITERATIONS, ORG_ID_SALT_BYTES, orgIdHashFromNtHashInPool } from '../../crypto/org-id-hash.ts'
import type { ReplicatedCredential } from './hash-source.ts'

/** A replicated user after stretching: the NT hash is gone, the verifier (or why there is none) remains. */
export interface StretchedCredential {
  readonly objectGuid: string
  readonly distinguishedName: string
  readonly pwdLastSet: number | null
  /** `v1;PPH1_MD4,<salt>,<iterations>,<hash>;`; undefined when the user has no readable hash. */
  readonly verifier: string | undefined
  /** Why the hash could not be read; the user is retried. */
  readonly unreadable?: string
}

/**
 * Each user gets a fresh salt on every sync, so the same password never yields the same verifier
 * twice. PBKDF2 runs on libuv's thread pool, so a page's users are stretched in parallel; the
 * result keeps the input's order.
 */
export async function stretchCredentials(credentials: readonly ReplicatedCredential[]): Promise<StretchedCredential[]> {
  return Promise.all(
    credentials.map(async ({ objectGuid, distinguishedName, pwdLastSet, ntHash, unreadable }) => {
      const base = { objectGuid, distinguishedName, pwdLastSet }
      if (unreadable) return { ...base, verifier: undefined, unreadable }
      if (!ntHash) return { ...base, verifier: undefined }
      const salt = randomBytes(ORG_ID_SALT_BYTES)
      const hash = await orgIdHashFromNtHashInPool(ntHash, salt)
      return { ...base, verifier: formatOrgIdVerifier({ salt, iterations: ORG_ID_ITERATIONS, hash }) }
    }),
  )
}
