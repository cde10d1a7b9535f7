/**
 * @module A DRSUAPI client over an authenticated, sealed DCE/RPC connection: bind, crack names,
 * one GetNCChanges call at a time, unbind. Paging and watermark storage belong to the caller;
 * values of secret attributes are returned encrypted and decrypted on demand.
 */
import { randomUUID } from 'node:crypto'
import {
  CLIENT_EXT_FLAGS,
  DrsExtFlags,
  DrsExtendedOp,
  DrsOpnum,
  INCREMENTAL_SYNC_FLAGS,
  INITIAL_SYNC_FLAGS,
} from './drs-constants.ts'
import { decodeBindReply, decodeUnbindReply, encodeBindRequest, encodeUnbindRequest } from './drs-bind.ts'
import { type CrackedName, decodeCrackNamesReply, encodeCrackNamesRequest } from './drs-crack-names.ts'
import { DrsError, checkWerror } from './drs-error.ts'
import { type DrsExtensions, encodeClientExtensions } from './drs-extensions.ts'
import type { DsNameRef } from './dsname.ts'
import {
  MAX_OBJECTS_PER_PAGE,
  UnsupportedReply,
  decodeGetNcChangesReply,
  unsupportedReplyError,
} from './getnc-reply.ts'
import { encodeGetNcChangesRequest } from './getnc-request.ts'
import { AttributeOid, PrefixTable } from './prefix-table.ts'
import { type NcChangesPage, type ReplicatedObject, ridOf, toNcChangesPage } from './replicated-object.ts'
import { type UpToDateCursor, type UsnVector, ZERO_USN_VECTOR } from './replication-state.ts'
import { decryptReplicatedNtHash } from './secret-attribute.ts'

/** The transport's interface (src/agent/phs/rpc), restated so this module does not depend on it. */
export interface RpcCallTransport {
  /** Request stub in, response stub out (already unsealed). */
  call(opnum: number, stub: Buffer, options?: { timeoutMs?: number }): Promise<Buffer>
  /** The NTLM exported session key: the key of the secret-attribute layer. */
  readonly sessionKey: Buffer
  close(): Promise<void>
}

/** What DrsClient needs from a transport. */
export type DrsTransport = Pick<RpcCallTransport, 'call' | 'sessionKey'>

export interface NcChangesRequest {
  /** The NC root to walk (DN and/or GUID). */
  readonly nc?: DsNameRef
  /** One object to replicate alone (EXOP_REPL_OBJ); `nc` is then not used. */
  readonly object?: DsNameRef
  /** The previous page's highWatermark; zero to start from nothing. */
  readonly usnFrom?: UsnVector
  /** Cursors already applied, to skip what we have (stored from the last page of a cycle). */
  readonly upToDate?: readonly UpToDateCursor[]
  /** The previous page's invocationId; NULL GUID on the first request. */
  readonly invocationId?: string
  /** Approximate cap on objects in the page (default 400). */
  readonly maxObjects?: number
  /** Approximate cap on bytes in the page (default 8 MiB). */
  readonly maxBytes?: number
  /** A partial attribute set (OIDs). A hint: a DC answering a full replica may still send all. */
  readonly attributes?: readonly string[]
  /** 'initial' (default) for a replica built from nothing, 'incremental' for a later cycle. */
  readonly cycle?: 'initial' | 'incremental'
  /** DRS_OPTIONS to send instead of the cycle's defaults. */
  readonly flags?: number
  readonly timeoutMs?: number
}

export interface DrsBindOptions {
  /** puuidClientDsa and uuidDsaObjDest; a fresh random GUID by default (the NULL GUID is refused by DCs). */
  readonly clientDsa?: string
  readonly timeoutMs?: number
}

/**
 * A schema signature (0xFF, revision 0, NULL invocation GUID) for a request that carries a partial
 * attribute set before any reply told us the DC's own: Samba refuses (WERROR 0x57) a PrefixTableDest
 * without the trailing signature entry when it must map PAS ATTRTYPs through it.
 */
const PLACEHOLDER_SCHEMA_INFO = Buffer.concat([Buffer.from([0xff]), Buffer.alloc(20)])

export const DEFAULT_MAX_OBJECTS = 400
export const DEFAULT_MAX_BYTES = 8 * 1024 * 1024

export class DrsClient {
  readonly #transport: DrsTransport
  #handle: Buffer | undefined
  /** The DC's schema signature from the last reply, echoed with partial attribute sets. */
  #schemaInfo: Buffer | undefined
  readonly serverExtensions: DrsExtensions
  readonly clientDsa: string

  private constructor(transport: DrsTransport, handle: Buffer, serverExtensions: DrsExtensions, clientDsa: string) {
    this.#transport = transport
    this.#handle = handle
    this.serverExtensions = serverExtensions
    this.clientDsa = clientDsa
  }

  /** IDL_DRSBind; refuses a DC that cannot take V8 requests or strongly encrypt secrets. */
  static async bind(transport: DrsTransport, options: DrsBindOptions = {}): Promise<DrsClient> {
    const clientDsa = options.clientDsa ?? randomUUID()
    const stub = encodeBindRequest(clientDsa, encodeClientExtensions(CLIENT_EXT_FLAGS))
    const reply = decodeBindReply(await transport.call(DrsOpnum.bind, stub, { timeoutMs: options.timeoutMs }))
    checkWerror('IDL_DRSBind', reply.werror)
    const ext = reply.serverExtensions
    const needed = DrsExtFlags.GETCHGREQ_V8 | DrsExtFlags.STRONG_ENCRYPTION
    if (!ext || (ext.flags & needed) !== needed) {
      throw new DrsError(
        'DRS_SERVER_UNSUPPORTED',
        'the DC does not offer GetNCChanges V8 requests with strong encryption of secrets',
      )
    }
    return new DrsClient(transport, reply.handle, ext, clientDsa)
  }

  get bound(): boolean {
    return this.#handle !== undefined
  }

  #requireHandle(): Buffer {
    if (!this.#handle) throw new DrsError('DRS_NOT_BOUND', 'the DRS handle was released by unbind()')
    return this.#handle
  }

  /** IDL_DRSCrackNames V1: one result per name, in order. */
  async crackNames(
    names: readonly string[],
    offered: number,
    desired: number,
    options: { flags?: number; timeoutMs?: number } = {},
  ): Promise<CrackedName[]> {
    const stub = encodeCrackNamesRequest(this.#requireHandle(), names, offered, desired, options.flags)
    const response = await this.#transport.call(DrsOpnum.crackNames, stub, { timeoutMs: options.timeoutMs })
    const reply = decodeCrackNamesReply(response)
    checkWerror('IDL_DRSCrackNames', reply.werror)
    return reply.items
  }

  /** One IDL_DRSGetNCChanges call (V8 request; V6 or V9 reply). */
  async getNcChanges(request: NcChangesRequest): Promise<NcChangesPage> {
    const target = request.object ?? request.nc
    if (!target) throw new DrsError('DRS_INVALID_REQUEST', 'getNcChanges needs an NC root or an object')
    const maxObjects = request.maxObjects ?? DEFAULT_MAX_OBJECTS
    if (maxObjects > MAX_OBJECTS_PER_PAGE) {
      throw new DrsError('DRS_INVALID_REQUEST', `maxObjects is at most ${MAX_OBJECTS_PER_PAGE}`)
    }
    const extendedOp = request.object ? DrsExtendedOp.EXOP_REPL_OBJ : DrsExtendedOp.none
    const table = PrefixTable.withDefaults()
    const partialAttributeSet = request.attributes?.map((oid) => table.attidFromOid(oid))
    const flags = request.flags ?? (request.cycle === 'incremental' ? INCREMENTAL_SYNC_FLAGS : INITIAL_SYNC_FLAGS)
    const stub = encodeGetNcChangesRequest(this.#requireHandle(), {
      clientDsa: this.clientDsa,
      invocationId: request.invocationId,
      nc: target,
      usnFrom: request.usnFrom ?? ZERO_USN_VECTOR,
      upToDate: request.upToDate,
      flags,
      maxObjects,
      maxBytes: request.maxBytes ?? DEFAULT_MAX_BYTES,
      extendedOp,
      partialAttributeSet,
      prefixTable: table,
      schemaInfo: partialAttributeSet?.length ? (this.#schemaInfo ?? PLACEHOLDER_SCHEMA_INFO) : undefined,
    })
    const response = await this.#transport.call(DrsOpnum.getNcChanges, stub, { timeoutMs: request.timeoutMs })
    const reply = decodeGetNcChangesReply(response)
    if (reply instanceof UnsupportedReply) {
      checkWerror('IDL_DRSGetNCChanges', reply.werror)
      throw unsupportedReplyError(reply)
    }
    checkWerror('IDL_DRSGetNCChanges', reply.werror)
    this.#schemaInfo = reply.prefixTable.schemaInfo ?? this.#schemaInfo
    return toNcChangesPage(reply, extendedOp)
  }

  /**
   * The NT hash of a replicated account: its unicodePwd with both layers removed, or undefined
   * when the object has no password (or no SID to derive the RID from).
   */
  ntHashOf(object: ReplicatedObject): Buffer | undefined {
    const value = object.attributes.get(AttributeOid.unicodePwd)?.[0]
    const rid = ridOf(object)
    if (!value || rid === undefined) return undefined
    return decryptReplicatedNtHash(this.#transport.sessionKey, value, rid)
  }

  /** IDL_DRSUnbind. The handle is forgotten even if the call fails. */
  async unbind(options: { timeoutMs?: number } = {}): Promise<void> {
    const handle = this.#handle
    if (!handle) return
    this.#handle = undefined
    const reply = decodeUnbindReply(await this.#transport.call(DrsOpnum.unbind, encodeUnbindRequest(handle), options))
    checkWerror('IDL_DRSUnbind', reply.werror)
  }
}
