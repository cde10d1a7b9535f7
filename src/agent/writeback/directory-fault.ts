/** @module Turns whatever ldapts or the socket threw into a DirectoryFault that keeps the LDAP and AD codes. */
import { parseAdDataCode } from '../directory/classify-directory-error.ts'
import type { DirectoryFault, Outcome } from './writeback-directory.ts'

function field(err: unknown, key: string): unknown {
  return typeof err === 'object' && err !== null ? (err as Record<string, unknown>)[key] : undefined
}

/**
 * `afterSend` is the caller's knowledge that a write had gone out; it only sticks when no LDAP
 * answer came back, because an answer (even a refusal) means the outcome is known.
 */
export function directoryFault(err: unknown, dc: string, afterSend = false): DirectoryFault {
  const message = err instanceof Error ? err.message : String(err)
  const code = field(err, 'code')
  const ldapResultCode = typeof code === 'number' ? code : null
  return {
    dc,
    ldapResultCode,
    adDataCode: ldapResultCode === null ? null : parseAdDataCode(message),
    systemCode: typeof code === 'string' ? code : null,
    afterSend: afterSend && ldapResultCode === null,
    diagnostic: message.replace(/\s*Code: 0x[0-9a-f]+$/i, '').trim(),
  }
}

/** Runs one LDAP call and keeps its failure as a fault. */
export async function attempt<T>(
  dc: string,
  work: () => Promise<T>,
  options: { write?: boolean } = {},
): Promise<Outcome<T>> {
  try {
    return { ok: true, value: await work() }
  } catch (err) {
    return { ok: false, fault: directoryFault(err, dc, options.write ?? false) }
  }
}

/** No LDAP answer at all: the DC is down, unreachable or timed out (as opposed to a refusal). */
export function isUnreachable(fault: DirectoryFault): boolean {
  return fault.ldapResultCode === null && !fault.afterSend
}
