/** @module The internal failure of the SCIM filter lexer and parser. */

/**
 * Thrown inside the recursive-descent parser so that each grammar rule stays a plain function;
 * `parseScimFilter` and `parseScimPatchPath` catch it and turn it into a `Result`, so it never
 * escapes the module's public functions. `message` is safe to show the admin.
 *
 * @internal
 */
export class ScimSyntaxError extends Error {
  constructor(detail: string) {
    super(detail)
    this.name = 'ScimSyntaxError'
  }
}

/** Renders a piece of filter text for an error message: short, and with no raw control characters. */
export function quoteFilterText(text: string): string {
  // eslint-disable-next-line no-control-regex -- replacing them is the point
  const short = (text.length > 40 ? `${text.slice(0, 40)}…` : text).replace(/[\u0000-\u001f\u007f-\u009f]/g, '?')
  // A string token already carries double quotes, so wrap it in single ones instead of escaping.
  return short.includes('"') ? `'${short}'` : `"${short}"`
}
