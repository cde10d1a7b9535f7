/** @module `idbridge agent token create | register | rotate-keys`: the on-premises agent's identity. */
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { Command } from 'commander'
import { addAgentRunCommands } from './agent-run-commands.ts'
import { JsonlEventLog } from '../agent/events/jsonl-event-log.ts'
import { type AgentKeyFile, defaultAgentDir, readAgentKeyFile } from '../agent/keys/agent-key-file.ts'
import { registerAgent } from '../agent/keys/register-agent.ts'
import { rotateAgentKeys } from '../agent/keys/rotate-agent-keys.ts'
import { createRegistrationToken } from '../cloud/agents/registration-tokens.ts'
import { IdbridgeError } from '../errors/idbridge-error.ts'
import { systemClock } from '../time/clock.ts'
import { findTenant, type GlobalOptions, output, withStore } from './cli-context.ts'
import { readSecret } from './read-secret.ts'

/** Options every agent-side subcommand takes. */
export interface AgentDirOptions {
  readonly dir?: string
  readonly json?: boolean
}

/** The folder holding the key file and the event log. */
export const agentDir = (options: AgentDirOptions): string => path.resolve(options.dir ?? defaultAgentDir())

/** The agent's event log lives next to its key file, under `events/`. */
export const openAgentEventLog = (dir: string): JsonlEventLog => new JsonlEventLog({ dir: path.join(dir, 'events') })

/** Loads the key file or ends the command with IDB_ERR_AGENT_KEY_FILE. */
export async function loadAgentKeyFile(dir: string): Promise<AgentKeyFile> {
  const loaded = await readAgentKeyFile(dir)
  if (!loaded.ok) throw loaded.error
  return loaded.value
}

function readCa(file: string | undefined): { pem: Buffer; file: string } | undefined {
  if (!file) return undefined
  const absolute = path.resolve(file)
  try {
    return { pem: readFileSync(absolute), file: absolute }
  } catch (cause) {
    throw new IdbridgeError('IDB_ERR_INVALID_INPUT', { detail: `--ca: cannot read ${absolute}`, cause })
  }
}

const withDir = (command: Command): Command =>
  command
    .option('--dir <dir>', 'folder for the key file and event log (default: var/agent)')
    .option('--json', 'machine-readable output')

export function defineAgentCommand(): Command {
  const agent = new Command('agent').description('The on-premises agent: registration, keys and the channel')

  agent
    .command('token')
    .description('One-time agent registration tokens')
    .command('create')
    .description('Create a registration token valid for 1 hour (shown once, stored as a digest)')
    .option('--tenant <name>', 'tenant name (default: the configured default tenant)')
    .option('-c, --config <file>', 'config file (JSON)')
    .option('--json', 'machine-readable output')
    .action(async (o: GlobalOptions & { tenant?: string }) =>
      withStore(o, async (store, loaded) => {
        const tenant = await findTenant(store, loaded, o.tenant)
        const created = await createRegistrationToken(store, systemClock, tenant.id)
        const expiresAt = new Date(created.expiresAt).toISOString()
        output(o.json, { tenant: tenant.name, token: created.token, expiresAt }, () => created.token)
      }),
    )

  withDir(
    agent
      .command('register')
      .description('Generate the agent keys and register this host with the tenant')
      .requiredOption('--cloud <url>', 'the tenant service URL, e.g. https://idbridge.example')
      .requiredOption('--token <token>', 'the registration token, or - to read it from stdin')
      .option('--ca <file>', 'CA certificate to trust for the cloud URL (default: system CAs)')
      .option('--force', 'replace an existing key file in --dir'),
  ).action(async (o: AgentDirOptions & { cloud: string; token: string; ca?: string; force?: boolean }) => {
    const dir = agentDir(o)
    const token = o.token === '-' ? (await readSecret('Registration token: ')).trim() : o.token
    const registered = await registerAgent({
      cloudUrl: o.cloud,
      token,
      ca: readCa(o.ca),
      dir,
      eventLog: openAgentEventLog(dir),
      force: o.force,
    })
    if (!registered.ok) throw registered.error
    const r = registered.value
    output(o.json, r, () => `Registered agent ${r.agentId} with tenant ${r.tenantId}; keys in ${r.keyFile}`)
  })

  withDir(
    agent
      .command('rotate-keys')
      .description('Replace the agent keys; the tenant accepts them over a connection signed with the old key')
      .option('--ca <file>', 'CA certificate to trust (default: the one recorded at registration)'),
  ).action(async (o: AgentDirOptions & { ca?: string }) => {
    const dir = agentDir(o)
    const rotated = await rotateAgentKeys({ dir, eventLog: openAgentEventLog(dir), ca: readCa(o.ca)?.pem })
    if (!rotated.ok) throw rotated.error
    const r = rotated.value
    output(o.json, { ...r, keysCreatedAt: new Date(r.keysCreatedAt).toISOString() }, () => {
      return `Rotated the keys of agent ${r.agentId}; the old keys no longer authenticate`
    })
  })

  addAgentRunCommands(agent, withDir)
  return agent
}
