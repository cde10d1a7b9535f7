/** @module Test support: an agent folder as a registered, configured agent leaves it, with known secrets. */
import { randomUUID } from 'node:crypto'
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { AgentStateFile } from '../../agent/agent-state-file.ts'
import { JsonlEventLog } from '../../agent/events/jsonl-event-log.ts'
import { type AgentKeys, generateAgentKeys } from '../../agent/keys/generate-agent-keys.ts'
import { writeAgentKeyFile } from '../../agent/keys/agent-key-file.ts'
import { PHS_STATE_FILE } from '../../agent/phs/phs-files.ts'
import { PhsStateFile } from '../../agent/phs/phs-state-file.ts'
import { AGENT_CONFIG_FILE, AGENT_STATE_FILE } from '../../agent/start-agent.ts'
import type { Clock } from '../../time/clock.ts'

/** What a test needs to know about the folder it got: where, and the secrets that must never leave it. */
export interface TestAgentDir {
  readonly dir: string
  readonly agentId: string
  readonly keys: AgentKeys
  readonly connectorPassword: string
  readonly bindPasswordFile: string
  readonly events: JsonlEventLog
}

export async function makeTestAgentDir(options: {
  dir: string
  tenantId: string
  clock: Clock
  connectorPassword: string
  keysCreatedAt?: number
  /** The connector password file's mode; 0o644 makes the doctor report it. */
  passwordFileMode?: number
  keys?: AgentKeys
  agentId?: string
}): Promise<TestAgentDir> {
  const { dir, clock } = options
  mkdirSync(dir, { recursive: true, mode: 0o700 })
  const keys = options.keys ?? (await generateAgentKeys())
  const agentId = options.agentId ?? randomUUID()
  await writeAgentKeyFile(dir, {
    format: 'idbridge-agent-key/1',
    agentId,
    tenantId: options.tenantId,
    cloudUrl: 'https://tenant.contoso.test:8443',
    keysCreatedAt: options.keysCreatedAt ?? clock.now(),
    ...keys,
  })
  const bindPasswordFile = path.join(dir, 'connector-password')
  writeFileSync(bindPasswordFile, `${options.connectorPassword}\n`, { mode: 0o600 })
  chmodSync(bindPasswordFile, options.passwordFileMode ?? 0o600)
  const config = {
    directory: {
      domainControllers: ['ldaps://dc1.contoso.test:636'],
      baseDn: 'DC=contoso,DC=test',
      bindDn: 'CN=idbridge connector,OU=Service Accounts,DC=contoso,DC=test',
      bindPasswordFile,
      caCertFile: path.join(dir, 'dc-ca.pem'),
      scope: { ous: ['OU=Synced Users,DC=contoso,DC=test'] },
    },
    phs: { enabled: true, account: { domain: 'CONTOSO', username: 'svc-idbridge' } },
  }
  writeFileSync(path.join(dir, AGENT_CONFIG_FILE), JSON.stringify(config, null, 2), { mode: 0o600 })
  new AgentStateFile(path.join(dir, AGENT_STATE_FILE)).write({
    version: 1,
    cookie: { mode: 'dirsync', value: 'opaque-dirsync-cookie', dc: 'ldaps://dc1.contoso.test:636' },
    anchors: { 'b2JqZWN0R1VJRC0wMDAwMQ==': 'YW5jaG9yLTAwMDAwMDAwMQ==', 'b2JqZWN0R1VJRC0wMDAwMg==': 'YW5jaG9yLTAwMDAwMDAwMg==' },
    lastRun: {
      runId: 'run-1',
      kind: 'delta',
      startedAt: new Date(clock.now()).toISOString(),
      finishedAt: new Date(clock.now()).toISOString(),
      exported: 2,
      failed: 0,
      result: 'success',
    },
    progress: null,
  })
  new PhsStateFile(path.join(dir, PHS_STATE_FILE)).write({
    version: 1,
    initialCompletedAt: clock.now(),
    resyncRequestedAt: null,
    lastCycle: { at: clock.now(), kind: 'delta', result: 'error' },
    users: {
      'b2JqZWN0R1VJRC0wMDAwMQ==': {
        distinguishedName: 'CN=Ada,OU=Synced Users,DC=contoso,DC=test',
        pwdLastSet: clock.now(),
        syncedAt: null,
        lagMs: null,
        result: 'Error',
        detail: 'AGENT_ERR_PHS_ACCESS_DENIED: WERR_DS_DRA_ACCESS_DENIED',
        retry: { attempts: 3, dueAt: clock.now() + 60_000 },
      },
    },
  })
  const events = new JsonlEventLog({ dir: path.join(dir, 'events'), clock })
  events.write({
    id: 611,
    source: 'Directory Synchronization',
    level: 'error',
    message: 'Password hash sync failed: AGENT_ERR_PHS_ACCESS_DENIED',
    data: { code: 'AGENT_ERR_PHS_ACCESS_DENIED', dc: 'dc1.contoso.test' },
  })
  return { dir, agentId, keys, connectorPassword: options.connectorPassword, bindPasswordFile, events }
}
