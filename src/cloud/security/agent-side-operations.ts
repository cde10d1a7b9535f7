/** @module Test support: password operations carried out by the agent's real executor against a fake AD. */
import { randomUUID } from 'node:crypto'
import type { AgentEventLog } from '../../agent/events/agent-event.ts'
import { type FakeUser, FakeWritebackDirectory } from '../../agent/writeback/fake-writeback-directory.ts'
import { PasswordWritebackExecutor } from '../../agent/writeback/password-writeback-executor.ts'
import { defaultWritebackSettings } from '../../agent/writeback/writeback-settings.ts'
import type { Result } from '../../errors/idbridge-error.ts'
import type { Clock } from '../../time/clock.ts'
import type { PasswordOperationRequest, PasswordOperationSender, RelayedResult } from '../relay/writeback-relay.ts'

/**
 * Skips the channel and the envelope (tested elsewhere) but keeps what touches the password on
 * the agent's side: the executor, its events in the agent's own log, and the directory writes.
 */
export class AgentSideOperations implements PasswordOperationSender {
  readonly directory = new FakeWritebackDirectory()
  readonly #executor: PasswordWritebackExecutor
  readonly #clock: Clock
  readonly #agentId = randomUUID()

  constructor(options: { eventLog: AgentEventLog; clock: Clock }) {
    this.#clock = options.clock
    this.#executor = new PasswordWritebackExecutor({
      directory: this.directory,
      eventLog: options.eventLog,
      settings: defaultWritebackSettings,
      clock: options.clock,
    })
  }

  /** An AD user behind a synced tenant user with this sourceAnchor. */
  addUser(anchor: string, samAccountName: string, password: string): FakeUser {
    const user: FakeUser = {
      dn: `CN=${samAccountName},OU=Synced Users,DC=contoso,DC=test`,
      samAccountName,
      displayName: samAccountName,
      userAccountControl: 512,
      adminCount: 0,
      pwdLastSet: this.#clock.now() - 30 * 24 * 3600_000,
      resultantPso: null,
      anchor,
      password,
      locked: false,
    }
    this.directory.users.push(user)
    return user
  }

  async submit(tenantId: string, request: PasswordOperationRequest): Promise<Result<RelayedResult>> {
    const trackingId = randomUUID()
    const outcome = await this.#executor.execute({
      ...request,
      trackingId,
      tenantId,
      agentId: this.#agentId,
      expiresAt: this.#clock.now() + 60_000,
    })
    return outcome.ok ? { ok: true, value: { ...outcome.value, trackingId } } : outcome
  }
}
