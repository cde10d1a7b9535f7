/** @module How the admin API shows an agent: state, heartbeat, version, host, and a warning for old keys. */
import type { Agent } from '../../store/store-records.ts'

/** The reference rolls writeback keys every six months (§2.3). */
export const KEY_MAX_AGE_MS = 182 * 24 * 60 * 60 * 1000

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString())

export function agentView(agent: Agent, now: number) {
  const keysOld = now - agent.keysCreatedAt > KEY_MAX_AGE_MS
  return {
    id: agent.id,
    host: agent.host,
    version: agent.version,
    state: agent.revokedAt === null ? agent.state : 'revoked',
    lastSeen: iso(agent.lastSeenAt),
    connectedNode: agent.connectedNode,
    registeredAt: iso(agent.registeredAt),
    keysCreatedAt: iso(agent.keysCreatedAt),
    warnings: keysOld
      ? [
          `keys are older than 6 months (created ${iso(agent.keysCreatedAt)}): run \`idbridge agent rotate-keys\` on ${agent.host}`,
        ]
      : [],
  }
}
