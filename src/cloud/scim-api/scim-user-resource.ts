/** @module Converts between a tenant user and its SCIM form (RFC 7643 §4.1 plus our extension). */
import { z } from 'zod'
import type { Group, User, UserChanges } from '../../store/store-records.ts'
import { etagOf } from './scim-etag.ts'
import { SCIM_IDBRIDGE_USER, SCIM_USER } from './scim-schemas.ts'

export function toScimUser(user: User, groups: readonly Group[], baseUrl: string): Record<string, unknown> {
  return {
    schemas: [SCIM_USER, SCIM_IDBRIDGE_USER],
    id: user.id,
    ...(user.onPremises ? { externalId: user.onPremises.immutableId } : {}),
    userName: user.userPrincipalName,
    name: { givenName: user.givenName, familyName: user.surname },
    displayName: user.displayName,
    active: user.accountEnabled,
    emails: user.mail ? [{ value: user.mail, type: 'work', primary: true }] : [],
    phoneNumbers: user.mobile ? [{ value: user.mobile, type: 'mobile' }] : [],
    roles: user.roles.map((value) => ({ value })),
    groups: groups.map((g) => ({ value: g.id, display: g.displayName, $ref: `${baseUrl}/Groups/${g.id}` })),
    [SCIM_IDBRIDGE_USER]: {
      onPremisesSyncEnabled: user.onPremises?.syncEnabled ?? false,
      onPremisesImmutableId: user.onPremises?.immutableId ?? null,
      onPremisesDistinguishedName: user.onPremises?.distinguishedName ?? null,
      onPremisesSamAccountName: user.onPremises?.samAccountName ?? null,
      passwordPolicies: user.passwordPolicies,
      licenses: user.licenses,
      sessionsValidFrom: new Date(user.sessionsValidFrom).toISOString(),
    },
    meta: {
      resourceType: 'User',
      created: new Date(user.createdAt).toISOString(),
      lastModified: new Date(user.updatedAt).toISOString(),
      version: etagOf(user.version),
      location: `${baseUrl}/Users/${user.id}`,
    },
  }
}

const text = (max: number) => z.string().max(max).nullable()
const multiValued = z
  .array(z.object({ value: z.string().max(256), type: z.string().max(40).optional() }).loose())
  .max(10)

/** What a client may write. Read-only parts (id, meta, groups, our on-premises fields) pass through unread. */
export const scimUserInputSchema = z
  .object({
    userName: z
      .string()
      .trim()
      .min(3)
      .max(256)
      .regex(/^[^\s@]+@[^\s@]+$/, 'a user principal name such as ada@contoso.test'),
    name: z
      .object({ givenName: text(64).optional(), familyName: text(64).optional() })
      .loose()
      .optional(),
    displayName: text(256).optional(),
    active: z.boolean().optional(),
    emails: multiValued.optional(),
    phoneNumbers: multiValued.optional(),
    roles: z
      .array(z.object({ value: z.string().min(1).max(64) }).loose())
      .max(20)
      .optional(),
    password: z.string().min(1).max(256).optional(),
    [SCIM_IDBRIDGE_USER]: z
      .object({
        passwordPolicies: z.array(z.enum(['DisablePasswordExpiration', 'DisableStrongPassword'])).optional(),
        licenses: z.array(z.string().min(1).max(64)).max(50).optional(),
      })
      .loose()
      .optional(),
  })
  .loose()

export type ScimUserInput = z.infer<typeof scimUserInputSchema>

const pick = (list: ScimUserInput['emails'], type: string) =>
  list?.find((e) => e.type === type)?.value ?? list?.[0]?.value ?? null

/** Full replacement semantics (POST, PUT and the result of a PATCH): absent means empty. */
export function fromScimUser(input: ScimUserInput): Required<Omit<UserChanges, 'onPremises'>> {
  const ext = input[SCIM_IDBRIDGE_USER]
  return {
    userPrincipalName: input.userName,
    givenName: input.name?.givenName ?? null,
    surname: input.name?.familyName ?? null,
    displayName: input.displayName ?? null,
    mail: pick(input.emails, 'work'),
    mobile: pick(input.phoneNumbers, 'mobile'),
    accountEnabled: input.active ?? true,
    roles: input.roles?.map((r) => r.value) ?? [],
    passwordPolicies: ext?.passwordPolicies ?? [],
    licenses: ext?.licenses ?? [],
  }
}
