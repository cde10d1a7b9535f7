/** @module Builds the doctor bundle: every section, each allowed to fail alone, then the codes it names. */
import path from 'node:path'
import type { LoadedConfig } from '../../config/load-config.ts'
import { errorCatalogue } from '../../errors/error-catalogue.ts'
import type { Store } from '../../store/store.ts'
import type { Tenant } from '../../store/store-records.ts'
import type { Clock } from '../../time/clock.ts'
import { agentEventsSection, auditSection } from './activity-sections.ts'
import { agentDirSection } from './agent-dir-section.ts'
import { agentsSection } from './agents-section.ts'
import { cloudLogSection } from './cloud-log-section.ts'
import {
  type CatalogueEntry,
  codesIn,
  type DoctorBundle,
  type DoctorSection,
  finding,
  section,
  unavailableSection,
} from './doctor-report.ts'
import { phsSection } from './phs-section.ts'
import { redactedConfig } from './redacted-config.ts'
import { storeSection, tenantSection } from './store-section.ts'
import { syncSection } from './sync-section.ts'
import { versionsSection } from './versions-section.ts'

/** What the doctor reads. The store comes already opened, or as the reason it could not be. */
export interface DoctorInputs {
  readonly loaded: LoadedConfig
  readonly store: { readonly ok: true; readonly value: Store } | { readonly ok: false; readonly error: unknown }
  readonly clock: Clock
  /** Default: the configured tenant. */
  readonly tenantName?: string
  /** The agent's folder on this host, for its side of the story. */
  readonly agentDir?: string
  /** How many runs, audit entries and events of each kind. */
  readonly limit: number
  /** Default: `<dataDir>/logs/cloud.log`. */
  readonly logFile?: string
}

async function attempt(what: string, work: () => Promise<DoctorSection> | DoctorSection): Promise<DoctorSection> {
  try {
    return await work()
  } catch (error) {
    return unavailableSection(what, error)
  }
}

async function storeSections(inputs: DoctorInputs, location: object): Promise<Record<string, DoctorSection>> {
  if (!inputs.store.ok) return { store: unavailableSection('the store', inputs.store.error) }
  const store = inputs.store.value
  const name = inputs.tenantName ?? inputs.loaded.config.tenant.name
  let tenant: Tenant | undefined
  try {
    tenant = await store.tenants.getByName(name)
  } catch (error) {
    return { store: unavailableSection('the store', error) }
  }
  if (!tenant) {
    const missing = finding('IDB_ERR_TENANT_NOT_FOUND', `no tenant named ${name}`)
    return { store: section(`no tenant named ${name}`, { location }, [missing]) }
  }
  const t = tenant
  const now = inputs.clock.now()
  // Two sections read the agents: one read, and its failure reported where the agents are.
  const agents = await store.agents.list(t.id).then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  )
  return {
    store: await attempt('the store', () => storeSection(store, t, location)),
    tenant: tenantSection(t),
    agents: agents.ok ? agentsSection(agents.value, now) : unavailableSection('agents', agents.error),
    sync: await attempt('sync runs', async () => syncSection(await store.syncRuns.list(t.id, inputs.limit))),
    passwordHashSync: await attempt('password hash sync', () => phsSection(store, t, agents.ok ? agents.value : undefined, inputs.limit)),
    auditLog: await attempt('the audit log', async () => auditSection(await store.audit.list(t.id, { limit: inputs.limit }))),
    agentEvents: await attempt('agent events', async () =>
      agentEventsSection(await store.agentEvents.list(t.id, { limit: inputs.limit })),
    ),
  }
}

/** Never throws for what it reads: a broken part becomes a section saying so, with its code. */
export async function collectDoctorBundle(inputs: DoctorInputs): Promise<DoctorBundle> {
  const config = redactedConfig(inputs.loaded)
  const sections: Record<string, DoctorSection> = {
    versions: await versionsSection(),
    config: section(`config from ${config.source ?? 'defaults and environment'}`, config),
    ...(await storeSections(inputs, config.database)),
    cloudLog: await attempt('the service log', () =>
      cloudLogSection(inputs.logFile ?? path.join(inputs.loaded.dataDir, 'logs', 'cloud.log')),
    ),
  }
  if (inputs.agentDir !== undefined) {
    const dir = inputs.agentDir
    sections.agent = await attempt('the agent folder', () => agentDirSection(dir, { now: inputs.clock.now(), limit: inputs.limit }))
  }
  const findings = Object.entries(sections)
    .flatMap(([name, s]) => s.findings.map((f) => ({ ...f, section: name })))
    .sort((a, b) => (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1))
  const errorCodes: Record<string, CatalogueEntry> = {}
  for (const code of codesIn(JSON.stringify(sections)).sort()) {
    const { status, message, cause, fix } = errorCatalogue[code]
    errorCodes[code] = { status, message, cause, fix }
  }
  return {
    format: 'idbridge-doctor/1',
    generatedAt: new Date(inputs.clock.now()).toISOString(),
    sections,
    findings,
    errorCodes,
  }
}
