/** @module SCIM schema URNs and the columns each filterable attribute maps to. */
import type { ScimAttributeMap } from '../scim/scim-filter-sql.ts'

export const SCIM_USER = 'urn:ietf:params:scim:schemas:core:2.0:User'
export const SCIM_GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group'
export const SCIM_LIST = 'urn:ietf:params:scim:api:messages:2.0:ListResponse'
/** Our extension for what Entra keeps beside the core schema: the on-premises identity and licensing. */
export const SCIM_IDBRIDGE_USER = 'urn:idbridge:params:scim:schemas:extension:2.0:User'

export const userFilterColumns: ScimAttributeMap = {
  id: { column: 'users.id', type: 'string', caseExact: true },
  externalid: { column: 'users.immutable_id', type: 'string', caseExact: true },
  username: { column: 'users.user_principal_name', type: 'string' },
  displayname: { column: 'users.display_name', type: 'string' },
  'name.givenname': { column: 'users.given_name', type: 'string' },
  'name.familyname': { column: 'users.surname', type: 'string' },
  'emails.value': { column: 'users.mail', type: 'string' },
  'phonenumbers.value': { column: 'users.mobile', type: 'string' },
  active: { column: 'users.account_enabled', type: 'boolean' },
  'meta.created': { column: 'users.created_at', type: 'datetime' },
  'meta.lastmodified': { column: 'users.updated_at', type: 'datetime' },
}

export const groupFilterColumns: ScimAttributeMap = {
  id: { column: 'groups.id', type: 'string', caseExact: true },
  externalid: { column: 'groups.immutable_id', type: 'string', caseExact: true },
  displayname: { column: 'groups.display_name', type: 'string' },
  'meta.created': { column: 'groups.created_at', type: 'datetime' },
  'meta.lastmodified': { column: 'groups.updated_at', type: 'datetime' },
}
