/** @module Carries out one opened password package against AD: DC fail-over, events, and the result. */
import type { IdbridgeError, Result } from '../../errors/idbridge-error.ts'
import type { PasswordOperationResult, PasswordPackage } from '../../protocol/password-operation.ts'
import type { Clock } from '../../time/clock.ts'
import type { AgentEventLog } from '../events/agent-event.ts'
import { type Applied, applyPasswordOperation } from './apply-password-operation.ts'
import type { WritebackSettings } from './writeback-settings.ts'
import type { DirectoryFault, WritebackDirectory } from './writeback-directory.ts'
import {
  bindEvents,
  failureEvents,
  type OperationContext,
  startEvent,
  stateWriteWarning,
  successEvent,
} from './writeback-events.ts'
import { faultData, faultMeaning, withTracking, writebackFailure } from './writeback-failure.ts'

/** What the executor needs; the directory is the seam a test replaces with a fake. */
export interface PasswordWritebackExecutorOptions {
  readonly directory: WritebackDirectory
  readonly eventLog: AgentEventLog
  readonly settings: WritebackSettings
  readonly clock: Clock
}

/** A sourceAnchor is base64 of a 16-byte GUID; anything else cannot name an AD user. */
const anchorPattern = /^[A-Za-z0-9+/]{21}[AQgw]==$/

function contextOf(pkg: PasswordPackage): OperationContext {
  return {
    trackingId: pkg.trackingId,
    operation: pkg.operation,
    cloudAnchor: pkg.cloudAnchor,
    sourceAnchor: pkg.sourceAnchor,
    userPrincipalName: pkg.userPrincipalName,
  }
}

/** The package fields each operation needs; the schema leaves them optional. */
function missingField(pkg: PasswordPackage): string | null {
  if (pkg.operation !== 'unlock' && pkg.password === undefined) return 'password'
  if (pkg.operation === 'change' && pkg.oldPassword === undefined) return 'oldPassword'
  return null
}

/** Failures of the DC itself; the only ones a verify logs, so sign-ins do not flood the event log. */
const dcFailures = new Set(['IDB_ERR_WB_DC_UNAVAILABLE', 'IDB_ERR_WB_AD_ERROR', 'IDB_ERR_WB_OUTCOME_UNKNOWN'])

/**
 * Runs a password operation. Every outcome is a Result (nothing throws for AD's answers) and
 * writes the reference's events: Start, 405/403 once bound, then Success or the specific
 * 32xxx/33xxx/6329 event plus Fail. No event, error or data ever carries a password.
 *
 * @example
 * const executor = new PasswordWritebackExecutor({ directory, eventLog, settings, clock: systemClock })
 * const outcome = await executor.execute(pkg) // { ok: true, value: { operation: 'reset', unlocked: true, … } }
 */
export class PasswordWritebackExecutor {
  readonly #o: PasswordWritebackExecutorOptions

  constructor(options: PasswordWritebackExecutorOptions) {
    this.#o = options
  }

  async execute(pkg: PasswordPackage): Promise<Result<PasswordOperationResult>> {
    const context = contextOf(pkg)
    const quiet = pkg.operation === 'verify'
    if (!quiet) this.#o.eventLog.write(startEvent(context))
    const applied = await this.#run(pkg, quiet)
    if (applied.result.ok) {
      if (applied.warning) this.#o.eventLog.write(stateWriteWarning(context, applied.warning))
      const { unlocked, domainController } = applied.result.value
      if (!quiet) this.#o.eventLog.write(successEvent(context, unlocked, domainController))
    } else {
      const error = withTracking(applied.result.error, pkg.trackingId, pkg.operation)
      if (!quiet || dcFailures.has(error.code)) this.recordFailure(context, error)
      return { ok: false, error }
    }
    return applied.result
  }

  /** Writes the specific failure event and the operation's Fail event; also used for packages that never opened. */
  recordFailure(context: OperationContext, error: IdbridgeError): void {
    for (const event of failureEvents(context, error)) this.#o.eventLog.write(event)
  }

  async #run(pkg: PasswordPackage, quiet: boolean): Promise<Extract<Applied, { kind: 'done' }>> {
    const missing = missingField(pkg)
    if (missing) {
      return done(writebackFailure('IDB_ERR_WB_INVALID_REQUEST', `A ${pkg.operation} needs ${missing}.`, {}))
    }
    if (!anchorPattern.test(pkg.sourceAnchor)) {
      const detail = 'The sourceAnchor is not the base64 of a 16-byte GUID.'
      return done(writebackFailure('IDB_ERR_WB_USER_NOT_FOUND', detail, {}))
    }
    const anchor = Buffer.from(pkg.sourceAnchor, 'base64')
    const tried: string[] = []
    let last: DirectoryFault | null = null
    for (;;) {
      const opened = await this.#o.directory.open(tried)
      if (!opened.ok) {
        const meaning = faultMeaning(opened.fault, 'open', false)
        // Once every DC has been tried, the last real fault says more than "none left".
        const fault = last && tried.includes(opened.fault.dc) ? last : opened.fault
        const code = meaning.kind === 'retry' ? 'IDB_ERR_WB_DC_UNAVAILABLE' : 'IDB_ERR_WB_AD_ERROR'
        const why = code === 'IDB_ERR_WB_AD_ERROR' ? 'The connector could not bind: ' : ''
        return done(writebackFailure(code, `${why}${fault.dc}: ${fault.diagnostic}`, faultData(fault)))
      }
      const session = opened.value
      if (tried.includes(session.dc)) {
        await session.close()
        return done(writebackFailure('IDB_ERR_WB_DC_UNAVAILABLE', `${session.dc} was already tried.`, faultData(last)))
      }
      try {
        if (!quiet) {
          const events = bindEvents(this.#o.directory.domainName, session.connectorName, session.dc)
          for (const event of events) this.#o.eventLog.write(event)
        }
        const { settings, clock } = this.#o
        const applied = await applyPasswordOperation({ session, pkg, anchor, settings, now: clock.now() })
        if (applied.kind === 'done') return applied
        // Nothing was written on this DC: the next preferred one gets the whole operation.
        tried.push(session.dc)
        last = applied.fault
      } finally {
        await session.close()
      }
    }
  }
}

function done(error: IdbridgeError): Extract<Applied, { kind: 'done' }> {
  return { kind: 'done', result: { ok: false, error } }
}
