/**
 * @module The association PDUs (C706 §12.6.4, MS-RPCE §2.2.2): bind, bind_ack (and
 * alter_context_resp, which has the same layout), bind_nak and rpc_auth_3. One presentation
 * context, NDR 2.0 only.
 */
import { malformed } from './rpc-error.ts'
import {
  type AuthVerifier,
  HEADER_LENGTH,
  type PduHeader,
  PduType,
  PfcFlag,
  SEC_TRAILER_LENGTH,
  type SecTrailer,
  decodeAuthVerifier,
  encodeHeader,
  encodeSecTrailer,
} from './rpc-pdu.ts'
import { NDR_SYNTAX, type SyntaxId, decodeSyntaxId, encodeSyntaxId } from './rpc-uuid.ts'

/** An auth verifier to attach: the sec_trailer fields and the security token. */
export interface OutgoingAuth {
  readonly trailer: Omit<SecTrailer, 'padLength'>
  readonly value: Buffer
}

function withAuth(type: number, callId: number, body: Buffer, auth: OutgoingAuth | undefined, flags: number): Buffer {
  // Bodies here are built 4-byte aligned, which is all the sec_trailer needs outside request/response.
  const tail = auth ? [encodeSecTrailer({ ...auth.trailer, padLength: 0 }), auth.value] : []
  const authLength = auth?.value.length ?? 0
  const fragLength = HEADER_LENGTH + body.length + (auth ? SEC_TRAILER_LENGTH + authLength : 0)
  return Buffer.concat([encodeHeader({ type, flags, fragLength, authLength, callId }), body, ...tail])
}

/** What a bind proposes: fragment sizes and the one interface to use. */
export interface BindRequest {
  readonly callId: number
  readonly maxXmitFrag: number
  readonly maxRecvFrag: number
  readonly contextId: number
  readonly abstractSyntax: SyntaxId
  readonly auth?: OutgoingAuth
}

export function encodeBind(b: BindRequest): Buffer {
  const body = Buffer.alloc(12 + 4 + 20)
  body.writeUInt16LE(b.maxXmitFrag, 0)
  body.writeUInt16LE(b.maxRecvFrag, 2)
  body.writeUInt32LE(0, 4) // assoc_group_id: 0 asks for a new association group
  body.writeUInt8(1, 8) // n_context_elem
  body.writeUInt16LE(b.contextId, 12)
  body.writeUInt8(1, 14) // n_transfer_syn
  encodeSyntaxId(b.abstractSyntax).copy(body, 16)
  const withNdr = Buffer.concat([body, encodeSyntaxId(NDR_SYNTAX)])
  const flags = PfcFlag.FIRST_FRAG | PfcFlag.LAST_FRAG | (b.auth ? PfcFlag.SUPPORT_HEADER_SIGN : 0)
  return withAuth(PduType.BIND, b.callId, withNdr, b.auth, flags)
}

/** rpc_auth_3: four ignored pad bytes, then the sec_trailer with the third NTLM leg. */
export function encodeAuth3(callId: number, auth: OutgoingAuth): Buffer {
  return withAuth(PduType.AUTH3, callId, Buffer.alloc(4), auth, PfcFlag.FIRST_FRAG | PfcFlag.LAST_FRAG)
}

/** One p_result_t of a bind_ack: 0 acceptance, 1 user rejection, 2 provider rejection. */
export interface ContextResult {
  readonly result: number
  readonly reason: number
  readonly transferSyntax: SyntaxId
}

/** A decoded bind_ack or alter_context_resp. */
export interface BindAck {
  readonly maxXmitFrag: number
  readonly maxRecvFrag: number
  readonly assocGroupId: number
  readonly results: readonly ContextResult[]
  readonly auth: AuthVerifier | undefined
}

export function decodeBindAck(pdu: Buffer, h: PduHeader): BindAck {
  const end = h.authLength ? h.fragLength - h.authLength - SEC_TRAILER_LENGTH : h.fragLength
  const need = (at: number, n: number, what: string) => {
    if (at + n > end) throw malformed(`bind_ack ends before its ${what}`)
  }
  need(HEADER_LENGTH, 10, 'fragment sizes')
  const maxXmitFrag = pdu.readUInt16LE(16)
  const maxRecvFrag = pdu.readUInt16LE(18)
  const assocGroupId = pdu.readUInt32LE(20)
  const addrLength = pdu.readUInt16LE(24)
  need(26, addrLength, 'secondary address')
  const at = (26 + addrLength + 3) & ~3
  need(at, 4, 'result list')
  const count = pdu[at]!
  need(at + 4, count * 24, 'results')
  const results: ContextResult[] = []
  for (let n = 0; n < count; n++) {
    const r = at + 4 + n * 24
    results.push({ result: pdu.readUInt16LE(r), reason: pdu.readUInt16LE(r + 2), transferSyntax: decodeSyntaxId(pdu, r + 4) })
  }
  return { maxXmitFrag, maxRecvFrag, assocGroupId, results, auth: decodeAuthVerifier(pdu, h, at + 4 + count * 24) }
}

/** bind_nak's provider_reject_reason (C706 §12.6.4.5), e.g. 8 "authentication type not recognized". */
export function decodeBindNakReason(pdu: Buffer, h: PduHeader): number {
  if (h.fragLength < HEADER_LENGTH + 2) throw malformed('bind_nak ends before its reject reason')
  return pdu.readUInt16LE(16)
}
