/** @module Sends stretched credentials to the tenant in batches of 1–50, with events 650–657. */
import type { IdbridgeError, Result } from '../../errors/idbridge-error.ts'
import {
  PHS_BATCH_MAX,
  type PasswordHashBatch,
  type PasswordHashBatchReply,
  type PasswordHashItem,
} from '../../protocol/password-hash-sync.ts'
import type { AgentEventLog } from '../events/agent-event.ts'
import { phsEvent, phsFailureEvent, referenceChangeDate } from './phs-events.ts'
import type { StretchedCredential } from './stretch-credentials.ts'

/** Where batches go: the channel in production, a recorder in tests. */
export interface PasswordHashExporter {
  sendBatch(batch: PasswordHashBatch): Promise<Result<PasswordHashBatchReply>>
  /** The idle heartbeat; fails like a batch when the tenant no longer takes password hash sync. */
  ping(): Promise<Result<void>>
}

/** A user whose verifier is ready to go: the anchor comes from the directory sync, never from DRS. */
export interface OutgoingCredential {
  readonly credential: StretchedCredential
  readonly sourceAnchor: string
}

/** What happened to one user: the tenant's status, or a local one (MissingAttribute, Error). */
export interface CredentialOutcome {
  readonly objectGuid: string
  readonly status: string
  readonly detail?: string
  /** The batch never reached the tenant: worth a retry. */
  readonly retryable: boolean
}

export interface BatchSenderOptions {
  readonly exporter: PasswordHashExporter
  readonly eventLog: AgentEventLog
  readonly kind: PasswordHashBatch['kind']
  readonly batchSize?: number
}

/** Batches in flight at once: the tenant stores one while the next crosses the channel. */
const IN_FLIGHT = 2

/**
 * Sends in the order given (callers sort by change date); batches overlap in transit but hold
 * different users, so no user's older hash can overtake a newer one. Outcomes keep the input order.
 */
export async function sendCredentials(
  outgoing: readonly OutgoingCredential[],
  options: BatchSenderOptions,
): Promise<CredentialOutcome[]> {
  const size = Math.min(PHS_BATCH_MAX, Math.max(1, options.batchSize ?? PHS_BATCH_MAX))
  const batches: Promise<CredentialOutcome[]>[] = []
  for (let i = 0; i < outgoing.length; i += size) {
    if (batches.length >= IN_FLIGHT) await batches[batches.length - IN_FLIGHT]
    batches.push(sendOne(outgoing.slice(i, i + size), options))
  }
  return (await Promise.all(batches)).flat()
}

async function sendOne(chunk: readonly OutgoingCredential[], options: BatchSenderOptions): Promise<CredentialOutcome[]> {
  const { eventLog } = options
  const outcomes: CredentialOutcome[] = []
  const items: PasswordHashItem[] = []
  for (const { credential, sourceAnchor } of chunk) {
    const dn = credential.distinguishedName
    const changedAt = credential.pwdLastSet ? new Date(credential.pwdLastSet) : null
    eventLog.write(
      phsEvent(
        'changeRequest',
        `Password Change Request - Anchor: ${sourceAnchor}, Dn: ${dn}, Change Date: ${changedAt ? referenceChangeDate(changedAt) : 'never'}`,
        { anchor: sourceAnchor, dn },
      ),
    )
    if (credential.unreadable) {
      outcomes.push({ objectGuid: credential.objectGuid, status: 'Error', detail: credential.unreadable, retryable: true })
      eventLog.write(changeResult(sourceAnchor, dn, `Error: ${credential.unreadable}`))
      continue
    }
    if (!credential.verifier) {
      outcomes.push({ objectGuid: credential.objectGuid, status: 'MissingAttribute', detail: 'no unicodePwd on the DC', retryable: false })
      eventLog.write(changeResult(sourceAnchor, dn, 'MissingAttribute: the user has no password in AD'))
      continue
    }
    items.push({
      sourceAnchor,
      distinguishedName: dn,
      changedAt: changedAt?.toISOString() ?? null,
      verifier: credential.verifier,
      temporary: credential.pwdLastSet === 0,
    })
  }
  if (items.length === 0) return outcomes
  eventLog.write(phsEvent('batchStart', `Provision credentials batch start. Count: ${items.length}`, { count: items.length }))
  const sent = await options.exporter.sendBatch({ kind: options.kind, items })
  if (!sent.ok) {
    eventLog.write(phsFailureEvent('batchError', 'Provision credentials batch error.', sent.error))
    for (const item of items) {
      outcomes.push(failedInTransit(chunk, item, sent.error))
      eventLog.write(changeResult(item.sourceAnchor, item.distinguishedName, sent.error.code))
    }
    return outcomes
  }
  eventLog.write(phsEvent('batchEnd', `Provision credentials batch end. Count: ${items.length}`, { count: items.length }))
  const byAnchor = new Map(sent.value.results.map((r) => [r.sourceAnchor, r]))
  for (const item of items) {
    const objectGuid = guidOf(chunk, item.sourceAnchor)
    const result = byAnchor.get(item.sourceAnchor)
    const status = result?.status ?? 'Error'
    const detail = result ? result.detail : 'the tenant returned no result for this user'
    outcomes.push({ objectGuid, status, detail, retryable: status === 'Error' })
    eventLog.write(changeResult(item.sourceAnchor, item.distinguishedName, status === 'Success' ? 'Success' : `${status}${detail ? ` (${detail})` : ''}`))
  }
  return outcomes
}

function changeResult(anchor: string, dn: string, result: string) {
  const success = result === 'Success'
  return phsEvent(
    'changeResult',
    success
      ? `Password Change Result - Anchor: ${anchor}, Dn: ${dn}, Result: Success.`
      : `Password Change Result - Anchor: ${anchor}, Dn: ${dn}, Result: Failed. Extended Error: ${result}`,
    { anchor, dn, result: success ? 'Success' : 'Failed' },
    success ? 'information' : 'warning',
  )
}

function guidOf(chunk: readonly OutgoingCredential[], anchor: string): string {
  return chunk.find((c) => c.sourceAnchor === anchor)!.credential.objectGuid
}

function failedInTransit(chunk: readonly OutgoingCredential[], item: PasswordHashItem, error: IdbridgeError): CredentialOutcome {
  return { objectGuid: guidOf(chunk, item.sourceAnchor), status: 'Error', detail: `${error.code}: ${error.detail ?? ''}`, retryable: true }
}
