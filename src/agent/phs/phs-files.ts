/** @module Names of password hash sync's files in the agent folder, shared by the agent and the CLI. */

/** Per-user health, the retry queue and the initial-sync mark; never a hash. */
export const PHS_STATE_FILE = 'phs-state.json'
/** Written by `phs resync --all`; the running agent consumes it. */
export const PHS_RESYNC_MARKER = 'phs-resync-requested.json'
