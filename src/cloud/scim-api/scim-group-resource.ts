/** @module Converts between a tenant group and its SCIM form (RFC 7643 §4.2). */
import { z } from 'zod'
import type { Group, User } from '../../store/store-records.ts'
import { etagOf } from './scim-etag.ts'
import { SCIM_GROUP } from './scim-schemas.ts'

export function toScimGroup(
  group: Group,
  members: readonly User[] | undefined,
  baseUrl: string,
): Record<string, unknown> {
  return {
    schemas: [SCIM_GROUP],
    id: group.id,
    ...(group.immutableId ? { externalId: group.immutableId } : {}),
    displayName: group.displayName,
    ...(members
      ? {
          members: members.map((u) => ({
            value: u.id,
            display: u.displayName ?? u.userPrincipalName,
            $ref: `${baseUrl}/Users/${u.id}`,
          })),
        }
      : {}),
    meta: {
      resourceType: 'Group',
      created: new Date(group.createdAt).toISOString(),
      lastModified: new Date(group.updatedAt).toISOString(),
      version: etagOf(group.version),
      location: `${baseUrl}/Groups/${group.id}`,
    },
  }
}

export const scimGroupInputSchema = z
  .object({
    displayName: z.string().trim().min(1).max(256),
    members: z
      .array(z.object({ value: z.string().min(1).max(64) }).loose())
      .max(5000)
      .optional(),
  })
  .loose()
