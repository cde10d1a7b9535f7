/** @module `idbridge agent configure|run|status|events`: pointing the agent at AD and running it. */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import type { Command } from 'commander'
import { AGENT_CONFIG_FILE, AGENT_STATE_FILE, startAgent } from '../agent/start-agent.ts'
import { type AgentConfig, agentConfigSchema } from '../agent/agent-config.ts'
import { AgentStateFile } from '../agent/agent-state-file.ts'
import { readEvents } from '../agent/events/jsonl-event-log.ts'
import { readAgentKeyFile } from '../agent/keys/agent-key-file.ts'
import { IdbridgeError } from '../errors/idbridge-error.ts'
import { output } from './cli-context.ts'
import { agentDir } from './agent-command.ts'
import { readSecret } from './read-secret.ts'

const PID_FILE = 'agent.pid'
export const CONNECTOR_PASSWORD_FILE = 'connector-password'

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

/** Writes the agent config and the 0600 password file it points at. */
export function writeAgentConfig(dir: string, config: AgentConfig, bindPassword: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 })
  writeFileSync(config.directory.bindPasswordFile, `${bindPassword}\n`, { mode: 0o600 })
  writeFileSync(path.join(dir, AGENT_CONFIG_FILE), `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 })
}

export function addAgentRunCommands(agent: Command, withDir: (command: Command) => Command): void {
  withDir(agent.command('configure').description('Point the agent at AD; the connector password is read from stdin'))
    .requiredOption('--dc <url...>', 'domain controllers in order of preference (ldaps://dc1:636 …)')
    .requiredOption('--base-dn <dn>', 'the domain, e.g. DC=contoso,DC=test')
    .requiredOption('--bind-dn <dn>', 'the connector account')
    .requiredOption('--ca <file>', 'CA certificate that signs the DCs’ certificates')
    .requiredOption('--ou <dn...>', 'OUs in sync scope')
    .option('--group <dn>', 'only members of this group are in scope')
    .option('--delta-interval <seconds>', 'seconds between delta imports', '120')
    .option('--phs <DOMAIN\\user>', "turn on password hash sync as the connector's NetBIOS domain and sAMAccountName")
    .action(async (o: { dir?: string; json?: boolean; dc: string[]; baseDn: string; bindDn: string; ca: string; ou: string[]; group?: string; deltaInterval: string; phs?: string }) => {
      const [phsDomain, phsUser] = o.phs?.split('\\') ?? []
      const dir = agentDir(o)
      const parsed = agentConfigSchema.safeParse({
        directory: {
          domainControllers: o.dc,
          baseDn: o.baseDn,
          bindDn: o.bindDn,
          bindPasswordFile: path.join(dir, CONNECTOR_PASSWORD_FILE),
          caCertFile: path.resolve(o.ca),
          scope: { ous: o.ou, ...(o.group ? { groupDn: o.group } : {}) },
        },
        sync: { deltaIntervalSeconds: Number(o.deltaInterval) },
        ...(o.phs ? { phs: { enabled: true, account: { domain: phsDomain ?? '', username: phsUser ?? '' } } } : {}),
      })
      if (!parsed.success) {
        throw new IdbridgeError('IDB_ERR_INVALID_INPUT', { detail: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') })
      }
      const password = await readSecret('Connector password: ')
      if (!password) throw new IdbridgeError('IDB_ERR_INVALID_INPUT', { detail: 'the connector password on stdin is empty' })
      writeAgentConfig(dir, parsed.data, password)
      output(o.json, { dir, config: parsed.data }, () => `Agent configured in ${dir}. Start it with: idbridge agent run`)
    })

  withDir(agent.command('run').description('Connect to the tenant and sync the directory until stopped')).action(async (o: { dir?: string }) => {
    const dir = agentDir(o)
    const pidFile = path.join(dir, PID_FILE)
    const previous = existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8')) : 0
    if (previous && previous !== process.pid && alive(previous)) {
      throw new IdbridgeError('IDB_ERR_INVALID_INPUT', { detail: `an agent (pid ${previous}) already runs from ${dir}` })
    }
    const running = await startAgent(dir)
    writeFileSync(pidFile, String(process.pid))
    const state = new AgentStateFile(path.join(dir, AGENT_STATE_FILE))
    const progress = process.stderr.isTTY
      ? setInterval(() => {
          const p = state.read().progress
          if (p) process.stderr.write(`\rFull import: ${p.done} users read`)
        }, 500)
      : undefined
    process.stdout.write(`Agent ${running.agentId} running from ${dir}. Ctrl+C stops it.\n`)
    await new Promise<void>((resolve) => {
      const stop = () => resolve()
      process.once('SIGINT', stop)
      process.once('SIGTERM', stop)
    })
    clearInterval(progress)
    await running.stop()
  })

  withDir(agent.command('status').description('Registration, connection and last sync run')).action(async (o: { dir?: string; json?: boolean }) => {
    const dir = agentDir(o)
    const key = await readAgentKeyFile(dir)
    if (!key.ok) throw key.error
    const pid = existsSync(path.join(dir, PID_FILE)) ? Number(readFileSync(path.join(dir, PID_FILE), 'utf8')) : 0
    const state = new AgentStateFile(path.join(dir, AGENT_STATE_FILE)).read()
    const status = {
      agentId: key.value.agentId,
      tenantId: key.value.tenantId,
      cloudUrl: key.value.cloudUrl,
      keysCreatedAt: new Date(key.value.keysCreatedAt).toISOString(),
      running: pid > 0 && alive(pid),
      configured: existsSync(path.join(dir, AGENT_CONFIG_FILE)),
      deltaMode: state.cookie?.mode ?? null,
      exportedUsers: Object.keys(state.anchors).length,
      progress: state.progress,
      lastRun: state.lastRun,
    }
    output(o.json, status, () =>
      [
        `Agent ${status.agentId} (${status.running ? 'running' : 'stopped'}) for ${status.cloudUrl}`,
        `Keys created ${status.keysCreatedAt}`,
        `Directory: ${status.configured ? `configured, ${status.exportedUsers} users exported, delta by ${status.deltaMode ?? 'none yet'}` : 'not configured (idbridge agent configure)'}`,
        status.progress ? `Full import in progress: ${status.progress.done} users read` : '',
        status.lastRun ? `Last run: ${status.lastRun.kind} ${status.lastRun.result} at ${status.lastRun.finishedAt ?? status.lastRun.startedAt}, ${status.lastRun.exported} exported, ${status.lastRun.failed} failed` : 'No sync run yet',
      ]
        .filter(Boolean)
        .join('\n'),
    )
  })

  withDir(agent.command('events').description('Read the agent event log'))
    .option('--id <n>', 'only this event ID, e.g. 31018')
    .option('--since <iso>', 'only events at or after this time')
    .option('--source <name>', 'ADSync, PasswordResetService, Directory Synchronization or idbridge')
    .action(async (o: { dir?: string; json?: boolean; id?: string; since?: string; source?: string }) => {
      const since = o.since === undefined ? undefined : Date.parse(o.since)
      if (since !== undefined && Number.isNaN(since)) throw new IdbridgeError('IDB_ERR_INVALID_INPUT', { detail: '--since: expected an ISO 8601 time' })
      const id = o.id === undefined ? undefined : Number(o.id)
      if (id !== undefined && !Number.isInteger(id)) throw new IdbridgeError('IDB_ERR_INVALID_INPUT', { detail: '--id: expected an event ID' })
      const events = readEvents(path.join(agentDir(o), 'events'), { id, since, source: o.source })
      output(o.json, events, () => events.map((e) => `${e.at}  ${e.source}  ${e.id}  ${e.level}  ${e.message}`).join('\n'))
    })
}
