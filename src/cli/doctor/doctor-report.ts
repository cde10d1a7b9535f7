/** @module The shape of a doctor bundle: sections that say what they found, and findings with code, cause and fix. */
import { type ErrorCode, errorCatalogue } from '../../errors/error-catalogue.ts'

/** A problem the doctor recognised, with the catalogue's cause and fix so the bundle reads on its own. */
export interface DoctorFinding {
  readonly code: ErrorCode
  readonly severity: 'error' | 'warning'
  /** What was seen, naming the object (agent id, run id, file); never a secret. */
  readonly detail: string
  readonly cause: string
  readonly fix: string
}

/** One part of the bundle. */
export interface DoctorSection<T = unknown> {
  /** One line saying what the section found, for a human skimming the file. */
  readonly summary: string
  readonly data: T
  readonly findings: readonly DoctorFinding[]
}

/** A catalogue entry as the bundle repeats it for every code seen. */
export interface CatalogueEntry {
  readonly status: number
  readonly message: string
  readonly cause: string
  readonly fix: string
}

/** The whole troubleshooting bundle: one JSON document an admin attaches to a support request. */
export interface DoctorBundle {
  readonly format: 'idbridge-doctor/1'
  readonly generatedAt: string
  readonly sections: Readonly<Record<string, DoctorSection>>
  /** Every finding of every section, errors first. */
  readonly findings: readonly (DoctorFinding & { readonly section: string })[]
  /** The catalogue entry of every code seen in the sections, events, audit entries and logs. */
  readonly errorCodes: Readonly<Record<string, CatalogueEntry>>
}

export function finding(code: ErrorCode, detail: string, severity: DoctorFinding['severity'] = 'error'): DoctorFinding {
  const entry = errorCatalogue[code]
  return { code, severity, detail, cause: entry.cause, fix: entry.fix }
}

export function section<T>(summary: string, data: T, findings: readonly DoctorFinding[] = []): DoctorSection<T> {
  return { summary, data, findings }
}

/** A section whose source could not be read: it says so instead of failing the whole bundle. */
export function unavailableSection(what: string, error: unknown): DoctorSection<null> {
  const code = (error as { code?: unknown } | null)?.code
  const known = typeof code === 'string' && Object.hasOwn(errorCatalogue, code) ? (code as ErrorCode) : undefined
  return section(`${what}: could not be read${known ? ` (${known})` : ''}`, null, known ? [finding(known, what)] : [])
}

const CODE_PATTERN = /\b(?:IDB_ERR|AGENT_ERR|SSPR)_[A-Z0-9_]+\b/g

/** The catalogue codes named in a text; anything that only looks like a code is left out. */
export function codesIn(text: string): ErrorCode[] {
  return [...new Set(text.match(CODE_PATTERN) ?? [])].filter((c): c is ErrorCode => Object.hasOwn(errorCatalogue, c))
}

export const iso = (ms: number | null | undefined): string | null =>
  ms === null || ms === undefined || !Number.isFinite(ms) ? null : new Date(ms).toISOString()
