/** @module The tenant's own password policy for cloud-managed passwords (reference §1.5). */

/** Why a candidate failed, so the page can say exactly what to change. */
export type CloudPolicyViolation = 'too-short' | 'too-long' | 'too-few-classes' | 'unsupported-characters'

/**
 * 8–256 characters and 3 of 4 classes: upper, lower, digit, symbol. Like the reference, characters
 * outside printable ASCII are refused for cloud-managed passwords.
 */
export function checkCloudPasswordPolicy(password: string): CloudPolicyViolation[] {
  const violations: CloudPolicyViolation[] = []
  const length = [...password].length
  if (length < 8) violations.push('too-short')
  if (length > 256) violations.push('too-long')
  if (!/^[\x20-\x7e]*$/.test(password)) violations.push('unsupported-characters')
  const classes = [/[A-Z]/, /[a-z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((re) => re.test(password)).length
  if (classes < 3) violations.push('too-few-classes')
  return violations
}

export const cloudPolicyMessages: Record<CloudPolicyViolation, string> = {
  'too-short': 'Use at least 8 characters.',
  'too-long': 'Use at most 256 characters.',
  'too-few-classes': 'Use three of these four: uppercase letters, lowercase letters, digits and symbols.',
  'unsupported-characters': 'Use only letters, digits, spaces and symbols from a standard keyboard.',
}
