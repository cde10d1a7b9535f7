/** @module The shape every entry of the error catalogue has. */

/**
 * One stable error. The user sees `message` with a support code; the admin sees `cause` and `fix`
 * in the API, the CLI and the troubleshooting docs, which are generated from the catalogue.
 */
export interface ErrorDefinition {
  /** HTTP status when the error reaches an API or page. */
  readonly status: number
  /** Safe to show anyone: never says whether an account exists or what the directory answered. */
  readonly message: string
  /** For the admin: what usually leads here. */
  readonly cause: string
  /** For the admin: what to do about it. */
  readonly fix: string
}
