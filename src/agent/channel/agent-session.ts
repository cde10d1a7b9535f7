/** @module One authenticated connection from the agent to the tenant: handshake, clock offset, heartbeats, frames. */
import { randomUUID } from 'node:crypto'
import WebSocket from 'ws'
import { IdbridgeError, type Result } from '../../errors/idbridge-error.ts'
import { closeCodes } from '../../protocol/channel-close-codes.ts'
import { CHANNEL_PATH, MAX_FRAME_BYTES, parseFrame, tenantToAgentFrame } from '../../protocol/channel-frames.ts'
import { challengeText, signText, toOrigin } from '../../protocol/handshake-signature.ts'
import type { Clock } from '../../time/clock.ts'
import { SessionFrames, type SessionFramesOptions } from './session-frames.ts'

/** Who the agent is: re-read before every connection so that rotated keys take effect. */
export interface AgentIdentity {
  readonly agentId: string
  /** PKCS#8 PEM of the Ed25519 identity key. */
  readonly identityPrivateKey: string
}

export interface OpenSessionOptions extends Omit<SessionFramesOptions, 'serverOffsetMs' | 'silenceTimeoutMs'> {
  readonly cloudUrl: string
  /** PEM of the CA to trust for the cloud URL; otherwise the system CAs. */
  readonly ca?: string | Buffer
  readonly identity: AgentIdentity
  readonly host: string
  readonly version: string
  readonly purpose: 'serve' | 'control'
  readonly clock: Clock
  readonly handshakeTimeoutMs: number
}

/** An open session, and what it learned in the handshake. */
export interface AgentSession {
  readonly agentId: string
  readonly tenantId: string
  readonly node: string
  readonly origin: string
  /** The challenge nonce, which rotate-keys binds its proof to. */
  readonly nonce: string
  readonly frames: SessionFrames
}

/** Connects, answers the challenge and waits for the welcome; never throws. */
export function openAgentSession(options: OpenSessionOptions): Promise<Result<AgentSession>> {
  const origin = toOrigin(options.cloudUrl)
  const url = new URL(CHANNEL_PATH, options.cloudUrl)
  url.protocol = 'wss:'
  const ws = new WebSocket(url, {
    ca: options.ca,
    maxPayload: MAX_FRAME_BYTES,
    perMessageDeflate: false,
    handshakeTimeout: options.handshakeTimeoutMs,
    followRedirects: false,
  })
  return new Promise((resolve) => {
    let settled = false
    let challenge: { nonce: string; offset: number } | undefined
    const finish = (result: Result<AgentSession>) => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      ws.off('message', onMessage)
      ws.off('close', onClose)
      ws.off('error', onError)
      if (!result.ok) {
        ws.on('error', () => {})
        ws.terminate()
      }
      resolve(result)
    }
    const fail = (
      code: 'IDB_ERR_AGENT_CONNECT' | 'IDB_ERR_AGENT_HANDSHAKE' | 'IDB_ERR_AGENT_UNKNOWN_KEY',
      detail: string,
    ) => finish({ ok: false, error: new IdbridgeError(code, { detail }) })
    const timer = setTimeout(
      () => fail('IDB_ERR_AGENT_HANDSHAKE', `no welcome within ${options.handshakeTimeoutMs} ms`),
      options.handshakeTimeoutMs,
    )
    const onError = (error: Error) => fail('IDB_ERR_AGENT_CONNECT', `${url.origin}: ${error.message}`)
    const onClose = (code: number, reason: Buffer) => {
      const text = reason.toString() || 'no reason'
      if (code === closeCodes.policy)
        fail('IDB_ERR_AGENT_UNKNOWN_KEY', `the tenant refused agent ${options.identity.agentId}: ${text}`)
      else fail('IDB_ERR_AGENT_HANDSHAKE', `closed during the handshake (${code}, ${text})`)
    }
    const onMessage = (data: WebSocket.RawData) => {
      const parsed = parseFrame(tenantToAgentFrame, data)
      if (!parsed.ok) return fail('IDB_ERR_AGENT_HANDSHAKE', `bad frame from the tenant: ${parsed.reason}`)
      const frame = parsed.frame
      if (!challenge && frame.type === 'challenge') {
        // The tenant's clock is the protocol's clock: every expiresAt is on it.
        challenge = { nonce: frame.nonce, offset: frame.serverTime - options.clock.now() }
        const { agentId } = options.identity
        ws.send(
          JSON.stringify({
            id: randomUUID(),
            type: 'hello',
            expiresAt: options.clock.now() + challenge.offset + options.messageTtlMs,
            agentId,
            origin,
            signature: signText(
              options.identity.identityPrivateKey,
              challengeText({ origin, agentId, nonce: frame.nonce }),
            ),
            host: options.host,
            version: options.version,
            purpose: options.purpose,
          }),
        )
        return
      }
      if (challenge && frame.type === 'welcome') {
        // The handshake listeners go first, so that the session's own are the only ones left.
        ws.off('message', onMessage)
        ws.off('close', onClose)
        const frames = new SessionFrames(ws, {
          ...options,
          serverOffsetMs: frame.serverTime - options.clock.now(),
          silenceTimeoutMs: frame.silenceTimeoutMs,
        })
        return finish({
          ok: true,
          value: {
            agentId: options.identity.agentId,
            tenantId: frame.tenantId,
            node: frame.node,
            origin,
            nonce: challenge.nonce,
            frames,
          },
        })
      }
      fail('IDB_ERR_AGENT_HANDSHAKE', `unexpected ${frame.type} frame during the handshake`)
    }
    ws.on('error', onError)
    ws.on('close', onClose)
    ws.on('message', onMessage)
  })
}
