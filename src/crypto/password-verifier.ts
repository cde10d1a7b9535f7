/** @module Checks a sign-in password against whichever verifier the user's credential holds. */
import { timingSafeEqual } from 'node:crypto'
import { ntHash, orgIdHashFromNtHash, parseOrgIdVerifier } from './org-id-hash.ts'
import { checkScryptVerifier } from './scrypt-verifier.ts'

/**
 * A stored verifier is either `scrypt$…` (a password set in the tenant) or an OrgId hash
 * `v1;PPH1_MD4,…;` (delivered by password hash sync). Anything else never matches.
 */
export async function checkPassword(verifier: string, password: string): Promise<boolean> {
  if (verifier.startsWith('scrypt$')) return checkScryptVerifier(verifier, password)
  const orgId = parseOrgIdVerifier(verifier)
  if (!orgId) return false
  const candidate = await orgIdHashFromNtHash(await ntHash(password), orgId.salt, orgId.iterations)
  return timingSafeEqual(candidate, orgId.hash)
}
