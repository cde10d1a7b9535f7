/** @module The real HashSource: MS-DRSR replication of unicodePwd from the preferred DCs, as the connector account. */
import { IdbridgeError, type Result } from '../../errors/idbridge-error.ts'
import { fileTimeToEpochMs } from '../directory/ad-entry.ts'
import type { AgentEventLog } from '../events/agent-event.ts'
import { DrsClient } from './drs/drs-client.ts'
import { DsNameFormat, DsNameStatus } from './drs/drs-constants.ts'
import { AttributeOid } from './drs/prefix-table.ts'
import type { NcChangesPage, ReplicatedObject } from './drs/replicated-object.ts'
import { phsErrorFrom, WERR_DS_DRA_BAD_DN } from './drs-error-mapping.ts'
import type { HashSource, HashWalkProgress, HashWatermark, ReplicatedCredential } from './hash-source.ts'
import { phsFailureEvent } from './phs-events.ts'
import { connectRpc, DRSUAPI_INTERFACE, type RpcCallTransport, type RpcCredentials } from './rpc/rpc-connection.ts'

/** Only what PHS reads; a DC holding a full replica may still send more, which is ignored. */
const ATTRIBUTES = [AttributeOid.objectSid, AttributeOid.unicodePwd, AttributeOid.pwdLastSet, AttributeOid.userAccountControl]

export interface DrsHashSourceOptions {
  /** Host names or addresses of the preferred DCs, tried in order (event 616 for each that fails). */
  readonly domainControllers: readonly string[]
  /** The domain naming context's DN: the root of the full walk. */
  readonly namingContext: string
  /** The connector account for NTLM; the password is read per connection and never kept in a log. */
  readonly credentials: () => RpcCredentials
  readonly eventLog: AgentEventLog
  /** Objects per GetNCChanges page; the reference's DCs send about 400. */
  readonly pageSize?: number
  readonly timeoutMs?: number
}

interface Session {
  readonly dc: string
  readonly transport: RpcCallTransport
  readonly client: DrsClient
  /** The naming context's objectGUID, from DRSCrackNames: the walk names the NC by DN and GUID. */
  readonly ncGuid: string
}

export class DrsHashSource implements HashSource {
  readonly #o: DrsHashSourceOptions
  #session: Session | undefined

  constructor(options: DrsHashSourceOptions) {
    if (options.domainControllers.length === 0) throw new Error('DrsHashSource needs at least one domain controller')
    this.#o = options
  }

  async readAll(
    onPage: (page: readonly ReplicatedCredential[], progress: HashWalkProgress) => Promise<void>,
    options: { since?: HashWatermark } = {},
  ): Promise<Result<HashWatermark>> {
    return this.#withSession(async (session) => {
      const fetch = (from?: DrsWatermark) =>
        session.client.getNcChanges({
          nc: { dn: this.#o.namingContext, guid: session.ncGuid },
          usnFrom: from?.highWatermark,
          invocationId: from?.invocationId,
          attributes: ATTRIBUTES,
          maxObjects: this.#o.pageSize ?? 400,
          timeoutMs: this.#o.timeoutMs,
        })
      let objectsSeen = 0
      // A DC that is not the one the watermark came from answers with everything (MS-DRSR: the
      // USN vector only means something next to its invocationId).
      let page = await fetch(isDrsWatermark(options.since?.position) ? options.since.position : undefined)
      for (;;) {
        // The DC prepares the next page while this one is stretched and sent: the walk and the
        // processing overlap instead of taking turns.
        const next = page.moreData ? settle(fetch(page)) : undefined
        objectsSeen += page.objects.length
        await onPage(this.#credentials(session, page.objects), { objectsSeen })
        if (!next) return { position: { highWatermark: page.highWatermark, invocationId: page.invocationId } satisfies DrsWatermark }
        page = unwrapSettled(await next)
      }
    })
  }

  async readOne(distinguishedName: string): Promise<Result<ReplicatedCredential | undefined>> {
    return this.#withSession(async (session) => {
      try {
        const page = await session.client.getNcChanges({
          object: { dn: distinguishedName },
          attributes: ATTRIBUTES,
          maxObjects: 1,
          timeoutMs: this.#o.timeoutMs,
        })
        // A DN that is gone answers with an extended error, not an exception: the user was deleted or moved.
        if (page.extendedError !== undefined) return undefined
        return this.#credentials(session, page.objects)[0]
      } catch (error) {
        if ((error as { werror?: number }).werror === WERR_DS_DRA_BAD_DN) return undefined
        throw error
      }
    })
  }

  async close(): Promise<void> {
    const session = this.#session
    this.#session = undefined
    if (!session) return
    await session.client.unbind({ timeoutMs: 5_000 }).catch(() => undefined)
    await session.transport.close().catch(() => undefined)
  }

  /**
   * Runs `work` on the open session, opening one if needed. Any failure drops the session, so the
   * next cycle starts with a fresh bind (and a fresh session key) on the first DC that answers.
   */
  async #withSession<T>(work: (session: Session) => Promise<T>): Promise<Result<T>> {
    const reused = this.#session !== undefined
    const first = await this.#attempt(work)
    // A DC drops idle connections: a kept session that broke gets one fresh bind before it counts.
    if (reused && !first.ok && first.error.code === 'AGENT_ERR_PHS_RPC_UNREACHABLE') return this.#attempt(work)
    return first
  }

  async #attempt<T>(work: (session: Session) => Promise<T>): Promise<Result<T>> {
    const opened = this.#session ? { ok: true as const, value: this.#session } : await this.#open()
    if (!opened.ok) return opened
    try {
      return { ok: true, value: await work(opened.value) }
    } catch (error) {
      await this.close()
      return { ok: false, error: phsErrorFrom(error, opened.value.dc) }
    }
  }

  async #open(): Promise<Result<Session>> {
    const dcs = this.#o.domainControllers
    let last
    for (const [i, dc] of dcs.entries()) {
      let transport: RpcCallTransport | undefined
      try {
        transport = await connectRpc({
          host: dc,
          interfaceId: DRSUAPI_INTERFACE,
          credentials: this.#o.credentials(),
          timeoutMs: this.#o.timeoutMs,
        })
        const client = await DrsClient.bind(transport, { timeoutMs: this.#o.timeoutMs })
        const ncGuid = await this.#namingContextGuid(client, dc)
        this.#session = { dc, transport, client, ncGuid }
        return { ok: true, value: this.#session }
      } catch (error) {
        await transport?.close().catch(() => undefined)
        last = phsErrorFrom(error, dc)
        if (i < dcs.length - 1) {
          this.#o.eventLog.write(phsFailureEvent('preferredDcFailed', `Connection to preferred DC ${dc} failed; trying the next.`, last))
        }
      }
    }
    return { ok: false, error: last! }
  }

  /** A wrong base DN is a configuration mistake: say so by name instead of failing the walk later. */
  async #namingContextGuid(client: DrsClient, dc: string): Promise<string> {
    const nc = this.#o.namingContext
    const [cracked] = await client.crackNames([nc], DsNameFormat.DS_FQDN_1779_NAME, DsNameFormat.DS_UNIQUE_ID_NAME, {
      timeoutMs: this.#o.timeoutMs,
    })
    const guid = cracked?.status === DsNameStatus.DS_NAME_NO_ERROR ? cracked.name?.replace(/[{}]/g, '') : undefined
    if (!guid) {
      throw new IdbridgeError('AGENT_ERR_PHS_DRS_ERROR', {
        detail: `${dc}: DRSCrackNames does not know the naming context ${nc} (DS_NAME_ERROR ${cracked?.status ?? 'none'}); set directory.baseDn to the domain's DN, e.g. DC=contoso,DC=com`,
        data: { dc, crackNamesStatus: cracked?.status ?? -1 },
      })
    }
    return guid
  }

  #credentials(session: Session, objects: readonly ReplicatedObject[]): ReplicatedCredential[] {
    const out: ReplicatedCredential[] = []
    for (const object of objects) {
      // Containers, the NC head and deleted objects carry no SID or no password state.
      if (!object.sid || object.isNcPrefix) continue
      const pwdLastSet = object.attributes.get(AttributeOid.pwdLastSet)?.[0]
      let ntHash: Buffer | undefined
      let unreadable: string | undefined
      try {
        ntHash = session.client.ntHashOf(object)
      } catch (error) {
        // One user's bad value must not cost the others their sync: report it and go on.
        unreadable = phsErrorFrom(error, session.dc).detail
      }
      out.push({
        objectGuid: object.guid.toString('base64'),
        distinguishedName: object.dn,
        pwdLastSet: pwdLastSet && pwdLastSet.length === 8 ? fileTimeToEpochMs(pwdLastSet.readBigInt64LE(0).toString()) : null,
        ntHash,
        ...(unreadable ? { unreadable } : {}),
      })
    }
    return out
  }
}

type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown }

/** Holds a rejection until it is awaited, so a prefetch that fails while a page is processed is not "unhandled". */
function settle<T>(promise: Promise<T>): Promise<Settled<T>> {
  return promise.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  )
}

function unwrapSettled<T>(settled: Settled<T>): T {
  if (!settled.ok) throw settled.error
  return settled.value
}

/** A DRS walk's end: the USN vector to continue from, valid on the DC with this invocationId. */
interface DrsWatermark {
  readonly highWatermark: NcChangesPage['highWatermark']
  readonly invocationId: string
}

function isDrsWatermark(position: unknown): position is DrsWatermark {
  return typeof position === 'object' && position !== null && 'highWatermark' in position && 'invocationId' in position
}
