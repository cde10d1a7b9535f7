/** @module Registers an agent with a bench tenant, points it at a bench lab's OU and starts it. */
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { agentConfigSchema } from '../agent/agent-config.ts'
import { MemoryEventLog } from '../agent/events/agent-event.ts'
import { registerAgent } from '../agent/keys/register-agent.ts'
import { type RunningAgent, startAgent } from '../agent/start-agent.ts'
import { CONNECTOR_PASSWORD_FILE, writeAgentConfig } from '../cli/agent-run-commands.ts'
import { createRegistrationToken } from '../cloud/agents/registration-tokens.ts'
import type { RunningCloud } from '../cloud/start-cloud.ts'
import type { LabInfo } from '../lab/lab-info.ts'
import { systemClock } from '../time/clock.ts'

/**
 * Registration and configuration happen before `start` is called, so a caller can time `start`
 * alone: what an operator sees from `idbridge agent run` to users in the tenant. The sync settings
 * are the product defaults (change notification on, presence check every 60 s).
 *
 * @example
 * const start = await prepareBenchAgent(cloud, lab, agentDir)
 * const t0 = performance.now(); const agent = await start()
 */
export async function prepareBenchAgent(
  cloud: RunningCloud,
  lab: LabInfo,
  dir: string,
): Promise<() => Promise<RunningAgent>> {
  const { token } = await createRegistrationToken(cloud.store, systemClock, cloud.tenant.id)
  const registered = await registerAgent({
    cloudUrl: cloud.url,
    token,
    ca: { pem: readFileSync(cloud.certFile), file: cloud.certFile },
    dir,
    eventLog: new MemoryEventLog(),
  })
  if (!registered.ok) throw registered.error
  const config = agentConfigSchema.parse({
    directory: {
      domainControllers: [lab.ldapUrl],
      baseDn: lab.baseDn,
      bindDn: lab.connector.dn,
      bindPasswordFile: path.join(dir, CONNECTOR_PASSWORD_FILE),
      caCertFile: lab.caCertPath,
      scope: { ous: [lab.bulk.ou] },
    },
  })
  writeAgentConfig(dir, config, lab.connector.password)
  return () => startAgent(dir)
}
