/** @module Runs a commander program and turns catalogue errors into a clear exit. */
import type { Command } from 'commander'
import { errorCatalogue } from '../errors/error-catalogue.ts'
import { IdbridgeError } from '../errors/idbridge-error.ts'

/** Parses argv; an IdbridgeError ends the process with its code, cause and fix instead of a stack. */
export async function runCli(program: Command, argv: readonly string[]): Promise<void> {
  try {
    await program.parseAsync([...argv])
  } catch (error) {
    if (!IdbridgeError.is(error)) throw error
    const entry = errorCatalogue[error.code]
    process.stderr.write(
      `error ${error.code}: ${error.detail ?? entry.message}\n  cause: ${entry.cause}\n  fix:   ${entry.fix}\n`,
    )
    process.exitCode = 1
  }
}
