/** @module Checks a phase against AD itself: the agents' record of each write, and real binds with the passwords. */
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { Client, InvalidCredentialsError } from 'ldapts'
import { readEvents } from '../../agent/events/jsonl-event-log.ts'
import type { LabInfo } from '../../lab/lab-info.ts'
import { acceptedPasswords, type Check, type PhaseRecord, tally } from './phase-record.ts'

/** ResetUserPasswordByAdminStart / Success: written once per execution, around the LDAPS modify. */
const START = 31009
const SUCCESS = 31010

/**
 * Every successful reset's tracking id has exactly one start and one success event across all
 * agents' event logs (the unicodePwd modify ran once, on one agent), and no success event in the
 * phase belongs to a tracking id the load did not get back. The detail says which agent ran how many.
 *
 * @example
 * const check = checkAgentEvents(phase)
 */
export function checkAgentEvents(phase: PhaseRecord): Check {
  const since = phase.startedAt - 1_000
  const counts = new Map<string, { starts: number; successes: number; agents: Set<string> }>()
  const perAgent: string[] = []
  for (const dir of phase.agentDirs) {
    const agent = path.basename(dir)
    for (const event of readEvents(path.join(dir, 'events'), { source: 'PasswordResetService', since })) {
      const trackingId = event.data?.trackingId
      if (typeof trackingId !== 'string' || (event.id !== START && event.id !== SUCCESS)) continue
      const entry = counts.get(trackingId) ?? { starts: 0, successes: 0, agents: new Set<string>() }
      if (event.id === START) entry.starts++
      else {
        entry.successes++
        perAgent.push(agent)
      }
      entry.agents.add(agent)
      counts.set(trackingId, entry)
    }
  }
  const expected = new Set(phase.results.outcomes.flatMap((o) => (o.kind === 'reset' && o.trackingId ? [o.trackingId] : [])))
  const problems: string[] = []
  for (const id of expected) {
    const entry = counts.get(id)
    if (!entry || entry.successes === 0) problems.push('no success event')
    else if (entry.starts !== 1 || entry.successes !== 1 || entry.agents.size !== 1) problems.push('executed more than once')
  }
  for (const [id, entry] of counts) if (!expected.has(id) && entry.successes > 0) problems.push('AD write for no request of the load')
  return {
    phase: phase.name,
    name: 'agents: one AD write per successful reset',
    ok: problems.length === 0,
    detail: `${perAgent.length} success events for ${expected.size} resets (${tally(perAgent) || 'none'})` + (problems.length ? `; ${tally(problems)}` : ''),
  }
}

/**
 * For every reset user: a simple bind over LDAPS with the last password AD took succeeds, and
 * one with the password before it fails with invalid credentials. The failing bind goes first,
 * so the good one clears the bad-password count again (the lab locks out after 5).
 */
export async function checkAdPasswords(phase: PhaseRecord, lab: LabInfo, parallel = 4): Promise<Check> {
  const accepted = acceptedPasswords(phase)
  const users = [...phase.passwordsBefore.keys()]
  const problems: string[] = []
  let next = 0
  const ca = readFileSync(lab.caCertPath)
  const worker = async () => {
    for (let i = next++; i < users.length; i = next++) {
      const upn = users[i]!
      const history = [phase.passwordsBefore.get(upn)!, ...(accepted.get(upn) ?? [])]
      const last = history[history.length - 1]!
      const previous = history[history.length - 2]
      if (previous !== undefined && previous !== last) {
        const old = await bind(lab, ca, upn, previous)
        if (old === 'ok') problems.push('previous password still works')
        else if (old !== 'invalid') problems.push(`previous password: ${old}`)
      }
      const now = await bind(lab, ca, upn, last)
      if (now === 'invalid') problems.push('last password refused')
      else if (now !== 'ok') problems.push(`last password: ${now}`)
    }
  }
  await Promise.all(Array.from({ length: parallel }, worker))
  return {
    phase: phase.name,
    name: "AD: each user's last password binds, the one before does not",
    ok: problems.length === 0,
    detail: `${users.length} users checked with ${[...accepted.values()].reduce((n, list) => n + list.length, 0)} accepted resets` +
      (problems.length ? `; ${tally(problems)}` : ''),
  }
}

async function bind(lab: LabInfo, ca: Buffer, upn: string, password: string): Promise<'ok' | 'invalid' | string> {
  const client = new Client({ url: lab.ldapUrl, tlsOptions: { ca }, timeout: 20_000, connectTimeout: 10_000 })
  try {
    await client.bind(upn, password)
    return 'ok'
  } catch (err) {
    return err instanceof InvalidCredentialsError ? 'invalid' : err instanceof Error ? err.message.slice(0, 80) : String(err)
  } finally {
    await client.unbind().catch(() => {})
  }
}
