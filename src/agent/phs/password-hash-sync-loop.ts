/** @module Password hash sync's schedule: the initial full sync, then deltas, retries and the idle heartbeat. */
import type { Result } from '../../errors/idbridge-error.ts'
import type { SyncBatch } from '../../protocol/sync-batch.ts'
import type { DirectoryChange } from '../directory/directory-records.ts'
import type { AgentEventLog } from '../events/agent-event.ts'
import type { Clock } from '../../time/clock.ts'
import { CoalescingRunner } from '../coalescing-runner.ts'
import { type CredentialOutcome, type OutgoingCredential, type PasswordHashExporter, sendCredentials } from './credential-batch-sender.ts'
import { FullSyncWalk } from './full-sync-walk.ts'
import type { HashSource, HashWatermark, ReplicatedCredential } from './hash-source.ts'
import { phsEvent, phsFailureEvent } from './phs-events.ts'
import type { PhsState, PhsStateFile } from './phs-state-file.ts'
import { queueChangedPasswords } from './queue-changed-passwords.ts'
import { recordOutcomes } from './record-outcomes.ts'
import { type StretchedCredential, stretchCredentials } from './stretch-credentials.ts'

/** What password hash sync needs to know about the directory sync, which owns scope and anchors. */
export interface DirectorySyncView {
  /** Event 613 until this is true: hashes of users the tenant doesn't know yet would be filtered anyway. */
  fullSyncCompleted(): boolean
  /** objectGUID (base64) → sourceAnchor for every user in scope. */
  anchors(): Readonly<Record<string, string>>
}

export interface PhsLoopOptions {
  readonly source: HashSource
  readonly exporter: PasswordHashExporter
  readonly directory: DirectorySyncView
  readonly state: PhsStateFile
  readonly eventLog: AgentEventLog
  readonly clock: Clock
  /** The domain's DNS name, for events 618/622. */
  readonly domain: string
  readonly batchSize?: number
  /** Default 30 minutes, like the reference's ping. */
  readonly heartbeatMs?: number
}

export type PhsCycleKind = 'initial' | 'resync' | 'delta' | 'paused' | 'idle'

export class PasswordHashSyncLoop {
  readonly #o: PhsLoopOptions
  readonly #runner: CoalescingRunner<PhsCycleKind>
  #timers: NodeJS.Timeout[] = []
  #lastActivity: number
  #paused = false
  /** A full walk started while the directory's first import was still running, waiting to be sent. */
  #ahead: FullSyncWalk | undefined

  constructor(options: PhsLoopOptions) {
    this.#o = options
    this.#runner = new CoalescingRunner(() => this.#cycle())
    this.#lastActivity = options.clock.now()
  }

  /** One cycle; calls during a cycle fold into one more after it. */
  runOnce(): Promise<PhsCycleKind> {
    return this.#runner.run()
  }

  start(options: { intervalMs: number }): void {
    this.#timers.push(setInterval(() => void this.runOnce(), options.intervalMs))
    this.#timers.push(setInterval(() => void this.#heartbeatIfIdle(), 60_000))
    void this.runOnce()
  }

  async stop(): Promise<void> {
    for (const timer of this.#timers) clearInterval(timer)
    this.#timers = []
    await this.#ahead?.cancel()
    this.#ahead = undefined
    await this.#runner.settled()
    await this.#o.source.close()
  }

  /**
   * Called with every batch the directory sync exported. A user whose pwdLastSet moved has a new
   * password: it joins the queue at once and a cycle starts, so a change reaches the tenant within
   * seconds of the change notification rather than at the next 2-minute cycle.
   */
  noteDirectoryChanges(changes: readonly DirectoryChange[], batchKind: SyncBatch['kind']): void {
    // The directory's first full import reports every user as changed. The initial password sync
    // reads them all after that import is in (a walk ahead is caught up from its watermark), so
    // queueing them would only grow and rewrite the state file, 50 times at 10,000 users.
    if (batchKind === 'full' && this.#o.state.read().initialCompletedAt === null) return
    let queued = 0
    const state = this.#o.state.update((s) => {
      queued = queueChangedPasswords(s, changes, this.#o.clock.now())
    })
    if (queued > 0 && state.initialCompletedAt !== null) void this.runOnce()
  }

  /** `phs resync --all`: the next cycle syncs every user again. */
  requestResync(): void {
    this.#o.state.update((state) => {
      state.resyncRequestedAt = this.#o.clock.now()
    })
    void this.runOnce()
  }

  async #cycle(): Promise<PhsCycleKind> {
    const { state, eventLog, directory } = this.#o
    if (!directory.fullSyncCompleted()) {
      if (!this.#paused) {
        eventLog.write(
          phsEvent('pausedForDirectorySync', 'Password synchronization agent paused because directory full sync has not completed.'),
        )
      }
      this.#paused = true
      // Reading and stretching every hash takes about as long as the directory import: do it
      // meanwhile, and send once the tenant knows the users. A walk ahead that failed (a DC that
      // was down) starts again at the next cycle rather than waiting to be reported.
      if (fullSyncDue(state.read()) && (!this.#ahead || this.#ahead.failed)) this.#ahead = new FullSyncWalk(this.#o.source)
      return 'paused'
    }
    this.#paused = false
    const current = state.read()
    if (fullSyncDue(current)) return this.#fullSync(current.initialCompletedAt === null ? 'initial' : 'resync')
    return this.#delta(current)
  }

  async #fullSync(kind: 'initial' | 'resync'): Promise<'initial' | 'resync'> {
    const { source, eventLog, domain, state, clock } = this.#o
    const startedAt = clock.now()
    eventLog.write(phsEvent('fullSyncStartedForest', `Full password sync started for the forest. Reason: ${kind}.`))
    eventLog.write(phsEvent('fullSyncStartedDomain', `Full password sync started for domain ${domain}.`, { domain }))
    const counts: FullSyncCounts = { objectsSeen: 0, synced: 0, notSynced: 0 }
    const ahead = this.#ahead?.failed ? undefined : this.#ahead
    this.#ahead = undefined
    let walked = await this.#sendWalk(ahead ?? new FullSyncWalk(source), kind, counts)
    // A walk that ran before the directory import reached the tenant may have read a password
    // that changed before the import read that user: neither side would ever send the new one.
    // Replicating what changed since the walk's watermark closes that gap.
    if (ahead && walked.ok) walked = await this.#sendWalk(new FullSyncWalk(source, { since: walked.value }), kind, counts)
    if (!walked.ok) {
      eventLog.write(phsFailureEvent('fullSyncFailed', `Full password sync failed for domain ${domain}.`, walked.error))
      eventLog.write(phsFailureEvent('domainSyncFailed', `Password synchronization failed for domain: ${domain}.`, walked.error))
      state.update((s) => void (s.lastCycle = { at: clock.now(), kind, result: walked.error.code }))
      return kind
    }
    state.update((s) => {
      s.initialCompletedAt ??= clock.now()
      if (s.resyncRequestedAt !== null && s.resyncRequestedAt <= startedAt) s.resyncRequestedAt = null
      s.lastCycle = { at: clock.now(), kind, result: 'success' }
    })
    const summary = { domain, synced: counts.synced, notSynced: counts.notSynced }
    eventLog.write(
      phsEvent('fullSyncCompletedDomain', `Full password sync completed for domain ${domain}. Synced: ${counts.synced}, not synced: ${counts.notSynced}.`, summary),
    )
    eventLog.write(phsEvent('fullSyncCompletedForest', 'Full password sync completed for the forest.', summary))
    return kind
  }

  /** Sends the walk's pages as they become ready, with event 619 after each. */
  async #sendWalk(walk: FullSyncWalk, kind: 'initial' | 'resync', counts: FullSyncCounts): Promise<Result<HashWatermark>> {
    const { eventLog, domain } = this.#o
    // Read once per walk: the directory state holds every exported anchor and is not small.
    const anchors = this.#o.directory.anchors()
    const objectsBefore = counts.objectsSeen
    for await (const page of walk.pages()) {
      // A catch-up with nothing new is one empty page: no progress to report.
      if (page.objectsSeen === 0) continue
      const outcomes = await this.#send(inScope(page.credentials, anchors), kind)
      for (const outcome of outcomes) {
        if (outcome.status === 'Success') counts.synced++
        else counts.notSynced++
      }
      counts.objectsSeen = objectsBefore + page.objectsSeen
      const { objectsSeen, synced, notSynced } = counts
      eventLog.write(
        phsEvent(
          'fullSyncProgress',
          `Full password sync progress for domain ${domain}: ${objectsSeen} objects read, ${synced} passwords synced, ${notSynced} not synced.`,
          { domain, objectsSeen, synced, notSynced },
        ),
      )
    }
    return walk.done
  }

  async #delta(current: PhsState): Promise<'delta' | 'idle'> {
    const { source, state, clock, eventLog, domain } = this.#o
    const now = clock.now()
    const due = Object.entries(current.users).filter(([, u]) => u.retry && u.retry.dueAt <= now)
    if (due.length === 0) return 'idle'
    const read: ReplicatedCredential[] = []
    const vanished: string[] = []
    for (const [guid, user] of due) {
      const one = await source.readOne(user.distinguishedName)
      if (!one.ok) {
        eventLog.write(phsFailureEvent('domainSyncFailed', `Password synchronization failed for domain: ${domain}.`, one.error))
        // The DC is down or refuses us: keep the queue as it is and let the next cycle try again.
        state.update((s) => void (s.lastCycle = { at: clock.now(), kind: 'delta', result: one.error.code }))
        return 'delta'
      }
      if (one.value) read.push(one.value)
      else vanished.push(guid)
    }
    // Chronological order of the change, as the reference processes them.
    read.sort((a, b) => (a.pwdLastSet ?? 0) - (b.pwdLastSet ?? 0))
    await this.#send(inScope(await stretchCredentials(read), this.#o.directory.anchors()), 'delta')
    state.update((s) => {
      for (const guid of vanished) delete s.users[guid]
      s.lastCycle = { at: clock.now(), kind: 'delta', result: 'success' }
    })
    return 'delta'
  }

  async #send(outgoing: readonly OutgoingCredential[], kind: 'initial' | 'resync' | 'delta'): Promise<CredentialOutcome[]> {
    if (outgoing.length === 0) return []
    this.#lastActivity = this.#o.clock.now()
    const { exporter, eventLog, batchSize, state, clock } = this.#o
    const outcomes = await sendCredentials(outgoing, { exporter, eventLog, kind, batchSize })
    // A full sync persists once, at its end (an unfinished one starts over); a delta at once.
    recordOutcomes(state, outgoing, outcomes, { clock, eventLog, persist: kind === 'delta' })
    return outcomes
  }

  async #heartbeatIfIdle(): Promise<void> {
    const { clock, eventLog, exporter } = this.#o
    const interval = this.#o.heartbeatMs ?? 30 * 60_000
    if (clock.now() - this.#lastActivity < interval) return
    this.#lastActivity = clock.now()
    eventLog.write(phsEvent('pingStart', 'Password synchronization ping start.'))
    const pinged = await exporter.ping()
    if (pinged.ok) eventLog.write(phsEvent('pingEnd', 'Password synchronization ping end.'))
    else eventLog.write(phsFailureEvent('pingError', 'Password synchronization ping error.', pinged.error))
  }

  /** For tests and `phs status`: runs the idle check now. */
  heartbeatNow(): Promise<void> {
    this.#lastActivity = -Infinity
    return this.#heartbeatIfIdle()
  }
}

interface FullSyncCounts {
  objectsSeen: number
  synced: number
  notSynced: number
}

/** The initial sync has not finished yet, or `phs resync --all` asked for another. */
function fullSyncDue(state: PhsState): boolean {
  return state.initialCompletedAt === null || state.resyncRequestedAt !== null
}

/** Only users the directory sync exported have an anchor; everyone else on the DC is out of scope. */
function inScope(credentials: readonly StretchedCredential[], anchors: Readonly<Record<string, string>>): OutgoingCredential[] {
  const outgoing: OutgoingCredential[] = []
  for (const credential of credentials) {
    const sourceAnchor = anchors[credential.objectGuid]
    if (sourceAnchor) outgoing.push({ credential, sourceAnchor })
  }
  return outgoing
}
