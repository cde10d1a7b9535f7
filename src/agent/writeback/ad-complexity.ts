/** @module AD's "Password must meet complexity requirements" rule, re-checked on the agent to explain a refusal. */

/** Why a password fails AD complexity, or null when it passes. */
export type ComplexityFailure =
  | { readonly kind: 'containsAccountName' }
  | { readonly kind: 'containsDisplayName'; readonly token: string }
  | { readonly kind: 'tooFewCategories'; readonly categories: number }

// AD splits displayName on these to find the tokens a password must not contain.
const displayNameDelimiters = /[,.\-_\s#\t]+/u

/**
 * The character groups AD counts: upper case, lower case, digits 0-9, and everything else
 * (symbols, and letters without case such as most Asian scripts). Three of the four are needed.
 */
export function characterCategories(password: string): number {
  let upper = false
  let lower = false
  let digit = false
  let other = false
  for (const char of password) {
    if (/\p{Lu}/u.test(char)) upper = true
    else if (/\p{Ll}/u.test(char)) lower = true
    else if (/[0-9]/.test(char)) digit = true
    else other = true
  }
  return [upper, lower, digit, other].filter(Boolean).length
}

/**
 * Checks a candidate the way AD does: the whole sAMAccountName (when at least 3 characters) and
 * each displayName token of at least 3 characters must not occur in it, case-insensitively, and
 * it must use 3 of the 4 character groups.
 *
 * @example
 * adComplexityFailure('Summer2024', 'jdoe', 'John Doe') // null
 * adComplexityFailure('johnny-Pass1', 'jdoe', 'John Doe') // { kind: 'containsDisplayName', token: 'John' }
 */
export function adComplexityFailure(
  password: string,
  samAccountName: string,
  displayName: string | null,
): ComplexityFailure | null {
  const lowered = password.toLocaleLowerCase()
  if (samAccountName.length >= 3 && lowered.includes(samAccountName.toLocaleLowerCase())) {
    return { kind: 'containsAccountName' }
  }
  for (const token of (displayName ?? '').split(displayNameDelimiters)) {
    if (token.length >= 3 && lowered.includes(token.toLocaleLowerCase())) return { kind: 'containsDisplayName', token }
  }
  const categories = characterCategories(password)
  return categories >= 3 ? null : { kind: 'tooFewCategories', categories }
}
