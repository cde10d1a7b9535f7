/** @module Test support: a real tenant service on 127.0.0.1 with TLS, and registered agents that connect to it. */
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { type RunningCloud, startCloud } from '../../cloud/start-cloud.ts'
import { createRegistrationToken } from '../../cloud/agents/registration-tokens.ts'
import { loadConfig } from '../../config/load-config.ts'
import type { Clock } from '../../time/clock.ts'
import { systemClock } from '../../time/clock.ts'
import { MemoryEventLog } from '../events/agent-event.ts'
import { type AgentKeyFile, readAgentKeyFile } from '../keys/agent-key-file.ts'
import { registerAgent } from '../keys/register-agent.ts'
import { WsAgentChannel, type WsAgentChannelOptions } from './ws-agent-channel.ts'

export interface TestAgent {
  readonly dir: string
  readonly key: AgentKeyFile
  readonly events: MemoryEventLog
}

export interface ChannelCloud {
  readonly cloud: RunningCloud
  readonly ca: Buffer
  newToken(): Promise<string>
  register(host?: string): Promise<TestAgent>
  /** A started channel that re-reads the agent's key file on every connect; stopped by `close()`. */
  connect(agent: TestAgent, options?: Partial<WsAgentChannelOptions> & { clock?: Clock }): WsAgentChannel
  /** The tenant's log so far, waiting up to 2 s for `needle` to be flushed. */
  logContaining(needle: string | RegExp): Promise<string>
  close(): Promise<void>
}

export async function startChannelCloud(
  hub: { silenceTimeoutMs?: number; handshakeTimeoutMs?: number } = {},
): Promise<ChannelCloud> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'idb-channel-'))
  const logFile = path.join(dataDir, 'logs', 'cloud.log')
  const cloud = await startCloud(
    loadConfig({ env: { IDBRIDGE_DATA_DIR: dataDir, IDBRIDGE_HTTP_PORT: '0', IDBRIDGE_LOG_LEVEL: 'debug' } }),
    { logFile, agentHub: hub },
  )
  const ca = readFileSync(cloud.certFile)
  const channels: WsAgentChannel[] = []
  const newToken = async () => (await createRegistrationToken(cloud.store, systemClock, cloud.tenant.id)).token
  let count = 0
  return {
    cloud,
    ca,
    newToken,
    register(host = `agent-${++count}.contoso.test`) {
      return registerTestAgent(cloud, ca, host)
    },
    connect(agent, options = {}) {
      const channel = connectTestAgent(agent, ca, options)
      channels.push(channel)
      return channel
    },
    async logContaining(needle) {
      const deadline = Date.now() + 2000
      for (;;) {
        const text = readFileSync(logFile, 'utf8')
        const found = typeof needle === 'string' ? text.includes(needle) : needle.test(text)
        if (found || Date.now() > deadline) return text
        await new Promise((resolve) => setTimeout(resolve, 20))
      }
    },
    async close() {
      await Promise.all(channels.map((channel) => channel.close()))
      await cloud.close()
    },
  }
}

/** Registers a new agent with `cloud` (any node, e.g. one of several on PostgreSQL) in a temp folder. */
export async function registerTestAgent(cloud: RunningCloud, ca: Buffer, host: string): Promise<TestAgent> {
  const dir = mkdtempSync(path.join(tmpdir(), 'idb-agent-'))
  const events = new MemoryEventLog()
  const registered = await registerAgent({
    cloudUrl: cloud.url,
    token: (await createRegistrationToken(cloud.store, systemClock, cloud.tenant.id)).token,
    ca: { pem: ca, file: cloud.certFile },
    dir,
    eventLog: events,
    host,
  })
  if (!registered.ok) throw registered.error
  const key = await readAgentKeyFile(dir)
  if (!key.ok) throw key.error
  return { dir, key: key.value, events }
}

/**
 * A started channel with test timings (200 ms heartbeats, 50–400 ms backoff) that re-reads the
 * agent's key file on every connect; `options.cloudUrl` points it elsewhere, e.g. at a proxy.
 */
export function connectTestAgent(
  agent: TestAgent,
  ca: Buffer,
  options: Partial<WsAgentChannelOptions> = {},
): WsAgentChannel {
  return new WsAgentChannel({
    cloudUrl: agent.key.cloudUrl,
    ca,
    loadIdentity: () => readAgentKeyFile(agent.dir),
    eventLog: agent.events,
    host: agent.key.agentId.slice(0, 8),
    heartbeatMs: 200,
    backoff: { initialMs: 50, maxMs: 400 },
    ...options,
  }).start()
}

/** Polls until `check` holds; throws with `what` when `timeoutMs` passes first. */
export async function waitFor(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}
