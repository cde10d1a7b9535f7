/**
 * @module Association setup (C706 §12.6.4, MS-RPCE §3.3.1.5): bind with one presentation context
 * for the interface over NDR 2.0, and with NTLM the three legs bind+NEGOTIATE,
 * bind_ack+CHALLENGE, auth3+AUTHENTICATE.
 */
import { NtlmClient, type RpcCredentials } from './ntlm-client.ts'
import type { NtlmSecurityContext } from './ntlm-security-context.ts'
import { decodeBindAck, decodeBindNakReason, encodeAuth3, encodeBind } from './rpc-bind-pdu.ts'
import { RpcError, malformed } from './rpc-error.ts'
import { AUTH_LEVEL_PRIVACY, AUTH_TYPE_WINNT, PduType, decodeHeader } from './rpc-pdu.ts'
import type { RpcSocket } from './rpc-socket.ts'
import { NDR_SYNTAX, type SyntaxId } from './rpc-uuid.ts'

/** What we offer to send and receive; servers answer with what they accept, often exactly this. */
const PROPOSED_FRAG = 5840
/** Below this a fragment could not carry even a small stub beside header and verifier. */
const MIN_FRAG = 256
export const PRESENTATION_CONTEXT_ID = 0
/** The sec_trailer of every NTLM PDU on the association: WINNT, packet privacy, one auth context. */
export const SEALING_TRAILER = { authType: AUTH_TYPE_WINNT, authLevel: AUTH_LEVEL_PRIVACY, contextId: 1 } as const

/** The interface to bind, and the account for NTLM (none: an unauthenticated bind). */
export interface BindOptions {
  readonly interfaceId: SyntaxId
  readonly credentials?: RpcCredentials
}

/** What a successful bind leaves for the calls that follow. */
export interface BoundAssociation {
  readonly security?: NtlmSecurityContext
  readonly sessionKey?: Buffer
  /** The largest fragment the server accepts from us. */
  readonly maxXmitFrag: number
  /** The call_id the bind used; calls continue from it. */
  readonly callId: number
}

/**
 * Sends bind and reads bind_ack; with credentials the NTLM handshake rides on them and auth3
 * completes it. The server never answers auth3, so a wrong password only shows on the first call.
 */
export async function negotiateBind(
  socket: RpcSocket,
  options: BindOptions & { timeoutMs: number },
): Promise<BoundAssociation> {
  const callId = 1
  const ntlm = options.credentials ? new NtlmClient(options.credentials) : undefined
  socket.send(
    encodeBind({
      callId,
      maxXmitFrag: PROPOSED_FRAG,
      maxRecvFrag: PROPOSED_FRAG,
      contextId: PRESENTATION_CONTEXT_ID,
      abstractSyntax: options.interfaceId,
      auth: ntlm ? { trailer: SEALING_TRAILER, value: ntlm.negotiateMessage } : undefined,
    }),
  )
  const pdu = await socket.receive(options.timeoutMs)
  const h = decodeHeader(pdu)
  if (h.callId !== callId) throw malformed(`bind answered with call_id ${h.callId}, expected ${callId}`)
  if (h.type === PduType.BIND_NAK) {
    const reason = decodeBindNakReason(pdu, h)
    // 8: authentication type not recognized, 9: invalid checksum (C706 §12.6.3.1, MS-RPCE §2.2.2.5).
    const code = reason === 8 || reason === 9 ? 'RPC_AUTH_UNSUPPORTED' : 'RPC_BIND_REJECTED'
    throw new RpcError(code, `${socket.peer} refused the bind (bind_nak reason ${reason})`, { data: { reason } })
  }
  if (h.type !== PduType.BIND_ACK) throw malformed(`bind answered with PDU type ${h.type}`)
  const ack = decodeBindAck(pdu, h)
  const result = ack.results[0]
  if (!result || result.result !== 0) {
    const detail = result ? `result ${result.result}, reason ${result.reason}` : 'no result'
    throw new RpcError(
      'RPC_BIND_REJECTED',
      `${socket.peer} refused interface ${options.interfaceId.uuid} v${options.interfaceId.version.join('.')} (${detail})`,
      { data: { result: result?.result ?? null, reason: result?.reason ?? null } },
    )
  }
  if (result.transferSyntax.uuid !== NDR_SYNTAX.uuid) throw malformed('bind_ack chose a transfer syntax other than NDR')
  if (ack.maxRecvFrag < MIN_FRAG) throw malformed(`bind_ack max_recv_frag ${ack.maxRecvFrag} is too small`)
  const maxXmitFrag = Math.min(PROPOSED_FRAG, ack.maxRecvFrag)

  if (!ntlm) return { maxXmitFrag, callId }
  if (!ack.auth || ack.auth.trailer.authType !== AUTH_TYPE_WINNT) {
    throw new RpcError('RPC_AUTH_UNSUPPORTED', `${socket.peer} accepted the bind but sent no NTLM challenge`)
  }
  const auth = await ntlm.authenticate(Buffer.from(ack.auth.value))
  socket.send(encodeAuth3(callId, { trailer: SEALING_TRAILER, value: auth.authenticateMessage }))
  return { security: auth.context, sessionKey: auth.sessionKey, maxXmitFrag, callId }
}
