/** @module First checks of a phase, on the answers alone: every request answered once, definitely. */
import { errorCatalogue } from '../../errors/error-catalogue.ts'
import type { RequestOutcome } from './load-child.ts'
import { type Check, indeterminateCodes, type PhaseRecord, tally } from './phase-record.ts'

/**
 * - every planned request has exactly one outcome (none lost by the generator, none sent twice);
 * - every outcome has its own correlation id, and every successful reset its own tracking id;
 * - every reset got a definite result: 200, or a catalogue error that is not a timeout or an
 *   unknown outcome (those leave AD's state open, so they count as lost);
 * - every sign-in succeeded: 303 to the user's own page.
 *
 * @example
 * const checks = checkOutcomes(phase, 'contoso')
 */
export function checkOutcomes(phase: PhaseRecord, tenantName: string): Check[] {
  const check = (name: string, ok: boolean, detail: string): Check => ({ phase: phase.name, name, ok, detail })
  const { outcomes } = phase.results
  const signIns = outcomes.filter((o) => o.kind === 'signIn')
  const resets = outcomes.filter((o) => o.kind === 'reset')
  const plannedSignIns = phase.items.filter((i) => i.kind === 'signIn').length
  const plannedResets = phase.items.filter((i) => i.kind === 'resetPair').length * 2

  const resetKeys = resets.map((o) => `${o.upn}#${o.seq}`)
  const twice = resetKeys.length - new Set(resetKeys).size
  const correlationIds = outcomes.map((o) => o.correlationId).filter((id): id is string => id !== null)
  const trackingIds = resets.map((o) => o.trackingId).filter((id): id is string => id !== null)

  const lost = resets.filter((o) => !definite(o))
  const refused = resets.filter((o) => definite(o) && o.status !== 200)
  const badSignIns = signIns.filter((o) => !(o.status === 303 && o.location === `/t/${tenantName}/me`))
  const okResets = resets.filter((o) => o.status === 200)

  return [
    check(
      'every request answered once',
      signIns.length === plannedSignIns && resets.length === plannedResets && twice === 0,
      `${signIns.length}/${plannedSignIns} sign-ins, ${resets.length}/${plannedResets} resets, ${twice} reset(s) sent twice`,
    ),
    check(
      'correlation and tracking ids unique',
      correlationIds.length === outcomes.length &&
        new Set(correlationIds).size === correlationIds.length &&
        trackingIds.length === okResets.length &&
        new Set(trackingIds).size === trackingIds.length,
      `${new Set(correlationIds).size} distinct correlation ids for ${outcomes.length} requests; ` +
        `${new Set(trackingIds).size} distinct tracking ids for ${okResets.length} successful resets`,
    ),
    check(
      'every reset has a definite result',
      lost.length === 0,
      `${okResets.length} reset, ${refused.length} refused${refused.length ? ` (${tally(refused.map(describe))})` : ''}, ` +
        `${lost.length} without a definite result${lost.length ? ` (${tally(lost.map(describe))})` : ''}`,
    ),
    check(
      'every sign-in succeeded',
      badSignIns.length === 0,
      `${signIns.length - badSignIns.length}/${signIns.length} answered 303 to /me` +
        (badSignIns.length ? `; others: ${tally(badSignIns.map(describe))}` : ''),
    ),
  ]
}

/** 200, or an error the catalogue knows that is not "AD may or may not have acted". */
function definite(outcome: RequestOutcome): boolean {
  if (outcome.status === 200) return outcome.trackingId !== null
  const code = outcome.code
  return outcome.status >= 400 && code !== null && Object.hasOwn(errorCatalogue, code) && !indeterminateCodes.has(code)
}

function describe(outcome: RequestOutcome): string {
  if (outcome.status === 0) return `no answer: ${outcome.error ?? '?'}`
  return `${outcome.status}${outcome.code ? ` ${outcome.code}` : ''}${outcome.location ? ` → ${outcome.location}` : ''}`
}
