/** @module The doctor's second line of defence for free text that an allow-list cannot split into fields. */

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i

// Ids the reference prints (User_<uuid>, tracking ids) are long too, and are what a reader needs.
const unlessId = (match: string) => (UUID.test(match) ? match : '[redacted]')

// Each pattern is a secret's recognisable shape. The first line of defence is that the doctor
// copies only allow-listed fields, so this only ever sees messages, reasons and details.
const patterns: readonly [RegExp, string | ((match: string) => string)][] = [
  [/-----BEGIN [A-Z ]*-----[\s\S]*?(-----END [A-Z ]*-----|$)/g, '[redacted key]'],
  [/\bidb(?:reg)?_[A-Za-z0-9_-]{16,}/g, '[redacted token]'],
  [/v1;PPH1_MD4,[^;\s]*;?/g, '[redacted verifier]'],
  [/scrypt\$[^\s"']+/g, '[redacted verifier]'],
  [/\/\/[^/\s:@]+:[^/\s@]+@/g, '//[redacted]@'],
  [/\b(password|passwd|pwd|secret|token|apiKey|authorization|cookie)(\s*[=:]\s*)("[^"]*"|'[^']*'|\S+)/gi, '$1$2[redacted]'],
  // 40+ characters of base64url with letters and digits: session tokens, keys, digests.
  [/\b(?=[A-Za-z0-9_-]*\d)(?=[A-Za-z0-9_-]*[A-Za-z])[A-Za-z0-9_-]{40,}\b/g, unlessId],
  // An NT hash in hex.
  [/\b[0-9a-fA-F]{32}\b/g, '[redacted]'],
]

/** Blanks anything shaped like a secret and caps the length, so one runaway message cannot bloat the bundle. */
export function scrubText(text: string, max = 500): string {
  let out = text.length > max * 4 ? text.slice(0, max * 4) : text
  for (const [pattern, replacement] of patterns) out = out.replace(pattern, replacement as (match: string) => string)
  return out.length > max ? `${out.slice(0, max)}…` : out
}
