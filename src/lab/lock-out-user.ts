/** @module Locks the seeded locked-out user the way AD does it: bad passwords up to the threshold. */
import { InvalidCredentialsError } from 'ldapts'
import type { LabSeed } from './lab-info.ts'
import { type LdapsTarget, withLdaps } from './lab-ldap.ts'

/**
 * Sends wrong passwords over LDAPS until the DC sets lockoutTime itself, so the lockout is real:
 * badPwdCount, lockoutTime and the KDC's refusal all come from Samba. Skips a user already locked.
 *
 * @example
 * await lockOutUser(info, info) // Larry Locked can no longer kinit
 */
export async function lockOutUser(target: LdapsTarget, seed: LabSeed): Promise<void> {
  const user = seed.users.find((u) => u.role === 'locked')!
  const lockoutTime = async () =>
    withLdaps(target, seed.admin.dn, seed.admin.password, async (client) => {
      const { searchEntries } = await client.search(user.dn, { scope: 'base', attributes: ['lockoutTime'] })
      return Number(searchEntries[0]?.lockoutTime ?? 0)
    })
  if ((await lockoutTime()) > 0) return
  for (let attempt = 0; attempt < seed.policy.lockoutThreshold; attempt++) {
    try {
      await withLdaps(target, user.dn, `wrong-${attempt}-${user.password}`, async () => {})
    } catch (error) {
      if (!(error instanceof InvalidCredentialsError)) throw error
    }
  }
  if ((await lockoutTime()) === 0)
    throw new Error(`${user.dn} is not locked after ${seed.policy.lockoutThreshold} bad binds`)
}
