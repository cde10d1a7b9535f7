/** @module The tenant's agents: state, version, heartbeat and key age, with what needs doing about them. */
import { KEY_MAX_AGE_MS } from '../../cloud/agents/agent-view.ts'
import type { Agent } from '../../store/store-records.ts'
import { type DoctorFinding, type DoctorSection, finding, iso, section } from './doctor-report.ts'

const DAY_MS = 24 * 60 * 60 * 1000

/** Public keys are left out too: the fingerprint-free view is enough to tell agents apart. */
export function agentsSection(agents: readonly Agent[], now: number): DoctorSection {
  const active = agents.filter((a) => a.revokedAt === null)
  const online = active.filter((a) => a.state === 'online')
  const findings: DoctorFinding[] = []
  for (const agent of active) {
    if (agent.state !== 'online') {
      findings.push(
        finding(
          'IDB_ERR_AGENT_OFFLINE',
          `agent ${agent.id} on ${agent.host} is offline (last seen ${iso(agent.lastSeenAt) ?? 'never'})`,
          online.length > 0 ? 'warning' : 'error',
        ),
      )
    }
    if (now - agent.keysCreatedAt > KEY_MAX_AGE_MS) {
      const days = Math.floor((now - agent.keysCreatedAt) / DAY_MS)
      findings.push(
        finding('IDB_ERR_AGENT_KEYS_OLD', `agent ${agent.id} on ${agent.host}: keys are ${days} days old`, 'warning'),
      )
    }
  }
  const data = agents.map((a) => ({
    id: a.id,
    host: a.host,
    version: a.version,
    state: a.revokedAt === null ? a.state : 'revoked',
    lastSeen: iso(a.lastSeenAt),
    connectedNode: a.connectedNode,
    registeredAt: iso(a.registeredAt),
    keysCreatedAt: iso(a.keysCreatedAt),
    keyAgeDays: Math.floor((now - a.keysCreatedAt) / DAY_MS),
    revokedAt: iso(a.revokedAt),
  }))
  return section(`${active.length} agents registered, ${online.length} online`, data, findings)
}
