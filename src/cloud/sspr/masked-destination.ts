/** @module How a registered email or phone appears on the gate page: enough to recognise, not enough to learn. */
import { createHmac } from 'node:crypto'

export function maskEmail(email: string): string {
  const [local = '', domain = ''] = email.split('@')
  return `${local.slice(0, 1)}•••••@${domain}`
}

export function maskPhone(phone: string): string {
  return `+•• ••••••${phone.slice(-2)}`
}

/**
 * A stable, plausible destination for a decoy flow, derived from the typed ID and a per-process key,
 * so the same unknown ID shows the same masks every time, as a real account would.
 */
export function decoyDestinations(subjectKey: string, key: Buffer): { email: string; phone: string } {
  const h = createHmac('sha256', key).update(subjectKey).digest()
  const letter = String.fromCharCode(97 + (h[0]! % 26))
  const digits = String(h.readUInt16BE(1) % 100).padStart(2, '0')
  const domain = subjectKey.includes('@') ? subjectKey.split('@')[1] : 'outlook.com'
  return { email: `${letter}•••••@${domain}`, phone: `+•• ••••••${digits}` }
}
