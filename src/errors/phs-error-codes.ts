/** @module Error codes of password hash sync: replication from the DC (MS-DRSR) and the tenant's side. */
import type { ErrorDefinition } from './error-definition.ts'

// `data` carries { dc, werror, rpcStatus } where known, so events 611 show the exact DRS answer.
export const phsErrorCodes = {
  IDB_ERR_PHS_NOT_ACTIVATED: {
    status: 409,
    message: 'Password hash sync is not turned on for this tenant.',
    cause: 'An agent sent password hashes, but the tenant setting passwordHashSyncEnabled is off (the reference\'s error 90, "Password Synchronization has not been activated for this company"). Hashes synced earlier stay valid.',
    fix: 'Turn it on with PATCH /api/v1/tenant/settings {"passwordHashSyncEnabled": true}, or turn PHS off in the agent config to stop it trying.',
  },
  AGENT_ERR_PHS_ACCESS_DENIED: {
    status: 502,
    message: 'The agent may not replicate password hashes from Active Directory.',
    cause: 'The DC refused DRSGetNCChanges (WERR_DS_DRA_ACCESS_DENIED, 0x2105 / 8453): the connector account lacks "Replicating Directory Changes" or "Replicating Directory Changes All" on the domain root.',
    fix: 'Grant the connector account both rights on the domain root, "This object only" (dsacls "<domain DN>" /G "<connector>:CA;Replicating Directory Changes" and the same for "Replicating Directory Changes All"), then wait for the next cycle.',
  },
  AGENT_ERR_PHS_AUTH_FAILED: {
    status: 502,
    message: 'The agent could not sign in to the domain controller for replication.',
    cause: 'The DC rejected the connector account over NTLM (wrong password, locked, disabled or expired account).',
    fix: 'Check the connector account in AD and set its current password in the agent (the same file the directory connector uses).',
  },
  AGENT_ERR_PHS_RPC_UNREACHABLE: {
    status: 502,
    message: 'The agent could not reach the domain controller for replication.',
    cause: 'No answer on the RPC endpoint mapper (TCP 135) or on the DRSUAPI port it named: the DC is down, or a firewall blocks RPC (135 and the dynamic range 49152–65535).',
    fix: 'Start the DC or open TCP 135 and the RPC dynamic ports from the agent host to the DC; `idbridge agent status` shows which DC was tried.',
  },
  AGENT_ERR_PHS_PROTOCOL: {
    status: 502,
    message: 'The domain controller sent a replication answer the agent could not read.',
    cause: 'A DRSUAPI reply was malformed or truncated, or the DC answered with an RPC fault. The event data has the fault or WERROR code.',
    fix: 'Retry happens on its own at the next cycle. If it persists, collect the agent events (idbridge agent events --id 611) and report the code with the DC version.',
  },
  AGENT_ERR_PHS_SECRET_UNREADABLE: {
    status: 502,
    message: 'A replicated password hash could not be decrypted.',
    cause: 'The encrypted unicodePwd failed its CRC32 check after decryption with the RPC session key: a corrupt reply or a session-key mismatch.',
    fix: 'The user is retried at the next cycle. If every user fails, restart the agent to set up a new RPC session and report it.',
  },
  AGENT_ERR_PHS_DRS_ERROR: {
    status: 502,
    message: 'The domain controller refused a replication request.',
    cause: 'DRSBind, DRSCrackNames or DRSGetNCChanges returned a WERROR other than access denied; the event data has the code.',
    fix: 'Look the WERROR up (e.g. 0x20f7 / 8439 WERR_DS_DRA_BAD_DN: the DN given does not exist on that DC) and check the DC\'s own log; the next cycle retries.',
  },
  AGENT_ERR_PHS_CANCELLED: {
    status: 503,
    message: 'A full password sync stopped before it finished.',
    cause: 'The agent was stopping while it read password hashes from the DC; nothing was sent for the users it had not reached.',
    fix: 'Nothing to do: the next start of the agent runs the full password sync again from the beginning.',
  },
} as const satisfies Record<string, ErrorDefinition>
