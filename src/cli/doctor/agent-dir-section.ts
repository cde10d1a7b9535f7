/** @module The agent's side, read from its folder: identity, config, sync and PHS state, latest events. */
import { existsSync, statSync } from 'node:fs'
import path from 'node:path'
import { readAgentConfig } from '../../agent/agent-config.ts'
import { AgentStateFile } from '../../agent/agent-state-file.ts'
import { readEvents } from '../../agent/events/jsonl-event-log.ts'
import { NEXT_KEY_FILE_NAME, readAgentKeyFile } from '../../agent/keys/agent-key-file.ts'
import { publicKeyFingerprint } from '../../agent/keys/key-fingerprint.ts'
import { PHS_STATE_FILE } from '../../agent/phs/phs-files.ts'
import { PhsStateFile } from '../../agent/phs/phs-state-file.ts'
import { AGENT_CONFIG_FILE, AGENT_STATE_FILE } from '../../agent/start-agent.ts'
import { KEY_MAX_AGE_MS } from '../../cloud/agents/agent-view.ts'
import { IdbridgeError } from '../../errors/idbridge-error.ts'
import { eventView } from './activity-sections.ts'
import { type DoctorFinding, type DoctorSection, finding, iso, section } from './doctor-report.ts'
import { urlOrigin } from './redacted-config.ts'
import { scrubText } from './scrub-text.ts'

/** Whether a secret file exists and who may read it; its size would hint at the secret's length, so it is left out. */
function secretFile(file: string, findings: DoctorFinding[]) {
  try {
    const mode = statSync(file).mode & 0o777
    if (mode & 0o077) findings.push(finding('IDB_ERR_SECRET_FILE_MODE', `${file} has mode ${mode.toString(8)}`))
    return { path: file, present: true, mode: mode.toString(8) }
  } catch {
    findings.push(finding('IDB_ERR_CONFIG_INVALID', `${file} (directory.bindPasswordFile) does not exist`))
    return { path: file, present: false }
  }
}

async function identity(dir: string, now: number, findings: DoctorFinding[]) {
  const key = await readAgentKeyFile(dir)
  if (!key.ok) {
    findings.push(finding(key.error.code, key.error.detail ?? 'agent key file'))
    return null
  }
  const k = key.value
  if (now - k.keysCreatedAt > KEY_MAX_AGE_MS) {
    findings.push(finding('IDB_ERR_AGENT_KEYS_OLD', `keys of agent ${k.agentId} were created ${iso(k.keysCreatedAt)}`, 'warning'))
  }
  const fingerprint = (pem: string) => {
    try {
      return publicKeyFingerprint(pem)
    } catch {
      return '(unreadable public key)'
    }
  }
  return {
    agentId: k.agentId,
    tenantId: k.tenantId,
    cloudUrl: urlOrigin(k.cloudUrl),
    caFile: k.caFile ?? null,
    keysCreatedAt: iso(k.keysCreatedAt),
    identityKey: fingerprint(k.identityPublicKey),
    encryptionKey: fingerprint(k.encryptionPublicKey),
    keyRotationPending: existsSync(path.join(dir, NEXT_KEY_FILE_NAME)),
  }
}

function config(dir: string, findings: DoctorFinding[]) {
  const file = path.join(dir, AGENT_CONFIG_FILE)
  if (!existsSync(file)) return null
  try {
    const c = readAgentConfig(file)
    const d = c.directory
    return {
      directory: {
        domainControllers: d.domainControllers,
        baseDn: d.baseDn,
        bindDn: d.bindDn,
        bindPasswordFile: secretFile(d.bindPasswordFile, findings),
        caCertFile: d.caCertFile,
        scope: { ous: d.scope.ous, groupDn: d.scope.groupDn ?? null },
      },
      sync: { ...c.sync },
      writeback: { ...c.writeback },
      phs: c.phs
        ? {
            enabled: c.phs.enabled,
            account: { domain: c.phs.account.domain, username: c.phs.account.username },
            domainControllers: c.phs.domainControllers ?? null,
            intervalSeconds: c.phs.intervalSeconds,
          }
        : null,
    }
  } catch (error) {
    if (!IdbridgeError.is(error)) throw error
    findings.push(finding(error.code, scrubText(error.detail ?? file, 300)))
    return null
  }
}

/** Counts instead of the anchors and the cookie: they identify every user and say nothing about health. */
function syncState(dir: string) {
  const s = new AgentStateFile(path.join(dir, AGENT_STATE_FILE)).read()
  return {
    deltaMode: s.cookie?.mode ?? null,
    deltaDc: s.cookie?.dc ?? null,
    exportedUsers: Object.keys(s.anchors).length,
    lastRun: s.lastRun && { ...s.lastRun, result: scrubText(s.lastRun.result, 200) },
    progress: s.progress,
  }
}

function phsState(dir: string, sample: number, findings: DoctorFinding[]) {
  if (!existsSync(path.join(dir, PHS_STATE_FILE))) return null
  const s = new PhsStateFile(path.join(dir, PHS_STATE_FILE)).read()
  const users = Object.values(s.users)
  const byResult: Record<string, number> = {}
  for (const u of users) byResult[u.result] = (byResult[u.result] ?? 0) + 1
  const retrying = users.filter((u) => (u.retry?.attempts ?? 0) > 0)
  const errors = users.filter((u) => u.result === 'Error')
  if (errors.length || retrying.length) {
    findings.push(finding('IDB_ERR_PHS_USER_ERRORS', `the agent has ${errors.length} users in Error and ${retrying.length} in its retry queue`))
  }
  return {
    initialCompletedAt: iso(s.initialCompletedAt),
    resyncRequestedAt: iso(s.resyncRequestedAt),
    lastCycle: s.lastCycle && { at: iso(s.lastCycle.at), kind: s.lastCycle.kind, result: scrubText(s.lastCycle.result, 200) },
    users: users.length,
    byResult,
    retrying: retrying.length,
    errors: [...errors, ...retrying.filter((u) => u.result !== 'Error')].slice(0, sample).map((u) => ({
      distinguishedName: u.distinguishedName,
      result: u.result,
      detail: u.detail === undefined ? null : scrubText(u.detail, 300),
      attempts: u.retry?.attempts ?? 0,
    })),
  }
}

/** Never reads the bind password file or the private keys beyond what readAgentKeyFile needs. */
export async function agentDirSection(dir: string, options: { now: number; limit: number }): Promise<DoctorSection> {
  if (!existsSync(dir)) {
    return section(`no agent folder at ${dir}`, { dir }, [finding('IDB_ERR_AGENT_KEY_FILE', `${dir} does not exist`)])
  }
  const findings: DoctorFinding[] = []
  const data = {
    dir,
    identity: await identity(dir, options.now, findings),
    config: config(dir, findings),
    syncState: syncState(dir),
    passwordHashSync: phsState(dir, options.limit, findings),
    events: readEvents(path.join(dir, 'events')).slice(-options.limit).reverse().map(eventView),
  }
  const who = data.identity ? `agent ${data.identity.agentId}` : 'an unregistered agent'
  return section(
    `${who}: ${data.config ? 'configured' : 'not configured'}, ${data.syncState.exportedUsers} users exported, ${data.events.length} latest events`,
    data,
    findings,
  )
}
