/** @module For `npm start`: an agent registered with the demo tenant and pointed at the lab. */
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { agentConfigSchema } from '../agent/agent-config.ts'
import { JsonlEventLog } from '../agent/events/jsonl-event-log.ts'
import { readAgentKeyFile } from '../agent/keys/agent-key-file.ts'
import { registerAgent } from '../agent/keys/register-agent.ts'
import { type RunningAgent, startAgent } from '../agent/start-agent.ts'
import { createRegistrationToken } from '../cloud/agents/registration-tokens.ts'
import type { RunningCloud } from '../cloud/start-cloud.ts'
import type { LabInfo } from '../lab/lab-info.ts'
import { systemClock } from '../time/clock.ts'
import { CONNECTOR_PASSWORD_FILE, writeAgentConfig } from './agent-run-commands.ts'

/** Registers once (again if the tenant no longer knows the agent), then starts it in this process. */
export async function startDemoAgent(cloud: RunningCloud, lab: LabInfo, dir: string): Promise<RunningAgent> {
  const existing = await readAgentKeyFile(dir)
  const known = existing.ok ? await cloud.store.agents.get(existing.value.agentId) : undefined
  const usable = existing.ok && known?.tenantId === cloud.tenant.id && existing.value.cloudUrl === cloud.url
  if (!usable) {
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
      scope: { ous: [lab.scope.syncOu] },
    },
  })
  // Rewritten each start: a lab reset brings new passwords.
  writeAgentConfig(dir, config, lab.connector.password)
  return startAgent(dir)
}
