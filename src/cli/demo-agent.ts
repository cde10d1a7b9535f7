/** @module An agent registered with a tenant and pointed at a lab: for `npm start`, the bench and tests. */
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { type AgentConfig, agentConfigSchema } from '../agent/agent-config.ts'
import { JsonlEventLog } from '../agent/events/jsonl-event-log.ts'
import { readAgentKeyFile } from '../agent/keys/agent-key-file.ts'
import { registerAgent } from '../agent/keys/register-agent.ts'
import { type RunningAgent, startAgent } from '../agent/start-agent.ts'
import { createRegistrationToken } from '../cloud/agents/registration-tokens.ts'
import type { RunningCloud } from '../cloud/start-cloud.ts'
import type { LabInfo } from '../lab/lab-info.ts'
import { systemClock } from '../time/clock.ts'
import { CONNECTOR_PASSWORD_FILE, writeAgentConfig } from './agent-run-commands.ts'

export interface LabAgentOptions {
  /** OUs in sync scope; the lab's sync OU by default. */
  readonly ous?: readonly string[]
  readonly sync?: Partial<AgentConfig['sync']>
  /** Turns on password hash sync as the lab's connector account (NTLM with its sAMAccountName). */
  readonly phs?: boolean | { readonly intervalSeconds?: number }
}

/**
 * Registers the agent in `dir` unless the tenant already knows it, and writes its config for the
 * lab's connector. Rewritten each time: a lab reset brings new passwords.
 */
export async function prepareLabAgent(cloud: RunningCloud, lab: LabInfo, dir: string, options: LabAgentOptions = {}): Promise<void> {
  const existing = await readAgentKeyFile(dir)
  const known = existing.ok ? await cloud.store.agents.get(existing.value.agentId) : undefined
  if (!(existing.ok && known?.tenantId === cloud.tenant.id && existing.value.cloudUrl === cloud.url)) {
    const { token } = await createRegistrationToken(cloud.store, systemClock, cloud.tenant.id)
    const registered = await registerAgent({
      cloudUrl: cloud.url,
      token,
      ca: { pem: readFileSync(cloud.certFile), file: cloud.certFile },
      dir,
      eventLog: new JsonlEventLog({ dir: path.join(dir, 'events') }),
      force: true,
    })
    if (!registered.ok) throw registered.error
  }
  const config = agentConfigSchema.parse({
    directory: {
      domainControllers: [lab.ldapUrl],
      baseDn: lab.baseDn,
      bindDn: lab.connector.dn,
      bindPasswordFile: path.join(dir, CONNECTOR_PASSWORD_FILE),
      caCertFile: lab.caCertPath,
      scope: { ous: options.ous ?? [lab.scope.syncOu] },
    },
    ...(options.sync ? { sync: options.sync } : {}),
    ...(options.phs
      ? {
          phs: {
            enabled: true,
            account: { domain: lab.netbiosDomain, username: lab.connector.username },
            ...(typeof options.phs === 'object' ? options.phs : {}),
          },
        }
      : {}),
  })
  writeAgentConfig(dir, config, lab.connector.password)
}

export async function startDemoAgent(cloud: RunningCloud, lab: LabInfo, dir: string): Promise<RunningAgent> {
  await prepareLabAgent(cloud, lab, dir, { phs: true })
  return startAgent(dir)
}
