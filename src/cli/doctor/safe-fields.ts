/** @module Copies the fields of free-form records (audit details, event data) that the doctor may show. */
import { scrubText } from './scrub-text.ts'

type Primitive = string | number | boolean | null

/** Keys whose string values are ids, codes and names, never secrets; each value is still scrubbed. */
const stringKeys = new Set([
  'userId', 'groupId', 'method', 'step', 'attempt', 'source', 'temporary', 'changed', 'code', 'agentCode',
  'trackingId', 'onPremises', 'historyEnforced', 'result', 'OnPremisesAgent', 'operation', 'dc', 'ldapResultCode',
  'adDataCode', 'systemCode', 'werror', 'rpcStatus', 'error', 'reason', 'status', 'statusHex', 'type', 'frameId',
  'runId', 'cloudAnchor', 'sourceAnchor', 'anchor', 'userPrincipalName', 'dn', 'distinguishedName', 'agentId', 'node',
  'encryptionKeyFingerprint', 'kind', 'phase',
])

/**
 * Numbers, booleans and null pass (a password is never typed as one); strings pass only under a
 * known key. Other keys are named in `omitted`, so a reader knows something was left out.
 */
export function safeFields(record: Readonly<Record<string, unknown>> | undefined): {
  fields: Record<string, Primitive>
  omitted: string[]
} {
  const fields: Record<string, Primitive> = {}
  const omitted: string[] = []
  for (const [key, value] of Object.entries(record ?? {})) {
    if (value === null || typeof value === 'number' || typeof value === 'boolean') fields[key] = value
    else if (typeof value === 'string' && stringKeys.has(key)) fields[key] = scrubText(value, 200)
    else omitted.push(key.slice(0, 60))
  }
  return { fields, omitted }
}
