/** @module Test support: the agent's real password-operation handler on a fake AD that records every password it took. */
import { randomBytes } from 'node:crypto'
import type { EnvelopeKeys } from '../../crypto/writeback-envelope.ts'
import type { Result } from '../../errors/idbridge-error.ts'
import { type Clock, systemClock } from '../../time/clock.ts'
import type { RequestHandler } from '../channel/agent-channel.ts'
import type { TestAgent } from '../channel/channel-test-support.ts'
import { readAgentKeyFile } from '../keys/agent-key-file.ts'
import { type FakeUser, FakeWritebackDirectory } from './fake-writeback-directory.ts'
import { createPasswordOperationHandler } from './password-operation-handler.ts'
import type { WritebackDirectory, WritebackSession } from './writeback-directory.ts'
import { defaultWritebackSettings } from './writeback-settings.ts'

/** What a fault test sees of the agent's AD. */
export interface FakeAdWriteback {
  /** Register it for PASSWORD_OPERATION_OP on the agent's channel. */
  readonly handler: RequestHandler
  readonly directory: FakeWritebackDirectory
  /** Every password AD took, in order: a request applied twice shows up twice. */
  readonly written: string[]
  /** Adds an enabled user and returns its sourceAnchor. */
  addUser(): string
  /** Until `release()`, every password write waits: the request stays in flight at the agent. */
  hold(): void
  release(): void
  /** Resolves when a write is waiting behind `hold()`. */
  held(): Promise<void>
}

/**
 * The PASSWORD_OPERATION_OP handler `start-agent` builds, with the test agent's key file, event
 * log and `clock`, over any directory (the real LDAP one, or a wrapped or fake one).
 */
export function agentPasswordHandler(agent: TestAgent, directory: WritebackDirectory, clock: Clock = systemClock) {
  return createPasswordOperationHandler({
    loadKeys: async (): Promise<Result<EnvelopeKeys>> => {
      const key = await readAgentKeyFile(agent.dir)
      if (!key.ok) return key
      const { agentId, encryptionPublicKey, encryptionPrivateKey } = key.value
      return { ok: true, value: { agentId, encryptionPublicKey, encryptionPrivateKey } }
    },
    directory,
    eventLog: agent.events,
    settings: defaultWritebackSettings,
    clock,
  })
}

/**
 * The real handler over a fake AD that records what it took: decryption, expiry checks,
 * per-tracking-id idempotency and the executor are the ones the agent runs.
 */
export function fakeAdWriteback(agent: TestAgent, options: { clock?: Clock } = {}): FakeAdWriteback {
  const directory = new FakeWritebackDirectory()
  const written: string[] = []
  let gate: Promise<void> | undefined
  let open = () => {}
  let waiting: (() => void) | undefined
  const arrived = () => new Promise<void>((resolve) => (waiting = resolve))
  let nextArrival = arrived()
  const recording: WritebackDirectory = {
    domainName: directory.domainName,
    async open(skip) {
      const opened = await directory.open(skip)
      if (!opened.ok) return opened
      const session: WritebackSession = opened.value
      return {
        ok: true,
        value: {
          ...session,
          async resetPassword(user, password, state, hints) {
            // Decoded now: the executor wipes the buffer once the write returns.
            const text = password.toString('utf16le').slice(1, -1)
            if (gate) {
              waiting?.()
              await gate
            }
            const done = await session.resetPassword(user, password, state, hints)
            if (done.ok) written.push(text)
            return done
          },
        },
      }
    },
  }
  return {
    handler: agentPasswordHandler(agent, recording, options.clock),
    directory,
    written,
    addUser() {
      const anchor = randomBytes(16).toString('base64')
      const n = directory.users.length + 1
      const user: FakeUser = {
        dn: `CN=Fault User ${n},OU=Synced,DC=contoso,DC=test`,
        samAccountName: `fault${n}`,
        displayName: `Fault User ${n}`,
        userAccountControl: 512,
        adminCount: 0,
        pwdLastSet: Date.now(),
        resultantPso: null,
        anchor,
        password: 'Initial-Passw0rd!',
        locked: false,
      }
      directory.users.push(user)
      return anchor
    },
    hold() {
      gate = new Promise((resolve) => (open = resolve))
    },
    release() {
      gate = undefined
      open()
    },
    async held() {
      await nextArrival
      nextArrival = arrived()
    },
  }
}
