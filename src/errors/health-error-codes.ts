/** @module Error codes of health checks: conditions `idbridge doctor` recognises in a running system. */
import type { ErrorDefinition } from './error-definition.ts'

// These rarely reach HTTP; `status` is what an API would answer if one ever reported them.
export const healthErrorCodes = {
  IDB_ERR_AGENT_KEYS_OLD: {
    status: 409,
    message: 'The on-premises agent needs new keys.',
    cause:
      "The agent's identity and writeback keys are older than 6 months; the reference rolls writeback keys every six months, so a key that old has had a long time to leak.",
    fix: 'Run `idbridge agent rotate-keys` on the agent host; the tenant takes the new keys at once and the warning goes away.',
  },
  IDB_ERR_SYNC_DELETES_HELD: {
    status: 409,
    message: 'A directory sync waits for an administrator.',
    cause:
      'A sync run would have deleted more users than sync.deleteThreshold allows (accidental-delete protection), so it stopped and holds the deletes back.',
    fix: 'Check the users with `idbridge sync confirm-deletes --dry-run`; if AD really lost them, run `idbridge sync confirm-deletes`, else fix the scope in AD or the agent config.',
  },
  IDB_ERR_PHS_NO_AGENT: {
    status: 503,
    message: 'Password hash sync has no agent.',
    cause:
      'passwordHashSyncEnabled is on for the tenant, but no agent is registered, or none has been online recently, so no password hash reaches the tenant and synced users keep old passwords.',
    fix: 'Register and start an agent with "phs": { "enabled": true } in its agent.config.json (`idbridge agent run`), or turn the tenant setting off.',
  },
  IDB_ERR_PHS_USER_ERRORS: {
    status: 502,
    message: 'Some passwords did not sync.',
    cause:
      'Password hash sync reported Error for some users (the tenant refused the hash or the agent could not read it), or the agent keeps users in its retry queue.',
    fix: 'Read the per-user detail (`idbridge phs status --json`, or with --dir on the agent host) and the agent events 611 and 620; fix the named cause, then `idbridge phs resync --all`.',
  },
  IDB_ERR_SECRET_FILE_MODE: {
    status: 500,
    message: 'A secret file is readable by other users.',
    cause:
      'A file that holds a secret (the connector password file, the agent key file) has group or other permissions, so other accounts on the host can read it.',
    fix: 'Restrict it to its owner: chmod 600 <file>, and keep its folder at 700.',
  },
} as const satisfies Record<string, ErrorDefinition>
