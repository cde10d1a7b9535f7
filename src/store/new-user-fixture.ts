/** @module Test support: a NewUser with every optional field empty, so a test names only what it is about. */
import type { NewUser } from './store-records.ts'

/**
 * @example
 * await store.users.create(tenant.id, newUserFixture({ userPrincipalName: 'ann@contoso.test', displayName: 'Ann' }))
 */
export function newUserFixture(fields: Partial<NewUser> & Pick<NewUser, 'userPrincipalName'>): NewUser {
  return {
    givenName: null,
    surname: null,
    displayName: null,
    mail: null,
    mobile: null,
    accountEnabled: true,
    roles: [],
    passwordPolicies: [],
    licenses: [],
    onPremises: null,
    ...fields,
  }
}
