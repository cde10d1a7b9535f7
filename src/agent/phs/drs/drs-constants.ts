/**
 * @module DRSUAPI numbers from MS-DRSR: the interface, opnums, DRS_OPTIONS (§5.41), extended
 * operations (§4.1.10.2.22) and the DRS_EXTENSIONS_INT capability bits (§5.39).
 */

export const DRSUAPI_INTERFACE = { uuid: 'e3514235-4b06-11d1-ab04-00c04fc2dcd2', version: 4, minorVersion: 0 } as const

export const DrsOpnum = { bind: 0, unbind: 1, getNcChanges: 3, crackNames: 12 } as const

/** DRS_OPTIONS (MS-DRSR §5.41), the subset this client uses or documents. */
export const DrsOptions = {
  DRS_ASYNC_OP: 0x00000001,
  DRS_WRIT_REP: 0x00000010,
  DRS_INIT_SYNC: 0x00000020,
  DRS_PER_SYNC: 0x00000040,
  DRS_GET_ANC: 0x00000800,
  DRS_FULL_SYNC_NOW: 0x00008000,
  DRS_SYNC_URGENT: 0x00080000,
  DRS_NEVER_SYNCED: 0x00200000,
  DRS_SPECIAL_SECRET_PROCESSING: 0x00400000,
  DRS_USE_COMPRESSION: 0x10000000,
} as const

/**
 * The first request of a cycle that builds a replica from nothing (a full-NC walk from a zero
 * watermark), and the single-object fetch:
 * - DRS_WRIT_REP: we ask as a full, writable replica, so the server sends every attribute
 *   (secrets included, given Replicating Directory Changes All) instead of the GC partial set.
 * - DRS_INIT_SYNC: this cycle is the initial synchronisation of our replica.
 * - DRS_NEVER_SYNCED: we have never completed a cycle with this source.
 * Deliberately absent: DRS_FULL_SYNC_NOW (a zero watermark and no up-to-dateness vector already
 * ask for everything, and the flag's effect on a paged cycle is not specified for GetNCChanges),
 * DRS_SYNC_URGENT (a queueing hint for IDL_DRSReplicaSync, meaningless here),
 * DRS_SPECIAL_SECRET_PROCESSING (asks the server to withhold secrets, as for an RODC) and
 * DRS_USE_COMPRESSION (would produce compressed V7 replies). MS-DRSR §4.1.10.4.1 requires the same
 * flags on every request of one cycle, so a walk keeps these until moreData is false.
 */
export const INITIAL_SYNC_FLAGS = DrsOptions.DRS_WRIT_REP | DrsOptions.DRS_INIT_SYNC | DrsOptions.DRS_NEVER_SYNCED

/** A later cycle that continues from a stored watermark and up-to-dateness vector. */
export const INCREMENTAL_SYNC_FLAGS = DrsOptions.DRS_WRIT_REP

/** EXOP codes (MS-DRSR §4.1.10.2.22). */
export const DrsExtendedOp = { none: 0, EXOP_REPL_OBJ: 6 } as const

/** EXOP_ERR_SUCCESS: the only ulExtendedRet that means an extended operation worked. */
export const EXOP_ERR_SUCCESS = 1

/** DRS_EXTENSIONS_INT.dwFlags bits (MS-DRSR §5.39). */
export const DrsExtFlags = {
  BASE: 0x00000001,
  ASYNCREPL: 0x00000002,
  REMOVEAPI: 0x00000004,
  MOVEREQ_V2: 0x00000008,
  GETCHG_DEFLATE: 0x00000010,
  DCINFO_V1: 0x00000020,
  RESTORE_USN_OPTIMIZATION: 0x00000040,
  ADDENTRY: 0x00000080,
  KCC_EXECUTE: 0x00000100,
  ADDENTRY_V2: 0x00000200,
  LINKED_VALUE_REPLICATION: 0x00000400,
  DCINFO_V2: 0x00000800,
  INSTANCE_TYPE_NOT_REQ_ON_MOD: 0x00001000,
  CRYPTO_BIND: 0x00002000,
  GET_REPL_INFO: 0x00004000,
  STRONG_ENCRYPTION: 0x00008000,
  DCINFO_VFFFFFFFF: 0x00010000,
  TRANSITIVE_MEMBERSHIP: 0x00020000,
  ADD_SID_HISTORY: 0x00040000,
  POST_BETA3: 0x00080000,
  GETCHGREQ_V5: 0x00100000,
  GETMEMBERSHIPS2: 0x00200000,
  GETCHGREQ_V6: 0x00400000,
  NONDOMAIN_NCS: 0x00800000,
  GETCHGREQ_V8: 0x01000000,
  GETCHGREPLY_V5: 0x02000000,
  GETCHGREPLY_V6: 0x04000000,
  ADDENTRYREPLY_V3: 0x08000000,
  W2K3_DEFLATE: 0x10000000,
  GETCHGREQ_V10: 0x20000000,
} as const

/** DRS_EXTENSIONS_INT.dwFlagsExt bits. */
export const DrsExtFlagsExt = {
  ADAM: 0x00000001,
  LH_BETA2: 0x00000002,
  RECYCLE_BUNDLE: 0x00000004,
  GETCHGREPLY_V9: 0x00000100,
} as const

/**
 * What we tell the DC we support: V8 requests with V6 replies, strong (MD5-salted) encryption of
 * secrets, linked-value replication. Not the DEFLATE bits (no compressed replies) and not
 * GETCHGREPLY_V9, so a DC answers V6 (V9 is still decoded if one does).
 */
export const CLIENT_EXT_FLAGS =
  DrsExtFlags.BASE |
  DrsExtFlags.ASYNCREPL |
  DrsExtFlags.REMOVEAPI |
  DrsExtFlags.MOVEREQ_V2 |
  DrsExtFlags.DCINFO_V1 |
  DrsExtFlags.RESTORE_USN_OPTIMIZATION |
  DrsExtFlags.KCC_EXECUTE |
  DrsExtFlags.ADDENTRY_V2 |
  DrsExtFlags.LINKED_VALUE_REPLICATION |
  DrsExtFlags.DCINFO_V2 |
  DrsExtFlags.INSTANCE_TYPE_NOT_REQ_ON_MOD |
  DrsExtFlags.CRYPTO_BIND |
  DrsExtFlags.GET_REPL_INFO |
  DrsExtFlags.STRONG_ENCRYPTION |
  DrsExtFlags.DCINFO_VFFFFFFFF |
  DrsExtFlags.TRANSITIVE_MEMBERSHIP |
  DrsExtFlags.ADD_SID_HISTORY |
  DrsExtFlags.POST_BETA3 |
  DrsExtFlags.GETCHGREQ_V5 |
  DrsExtFlags.GETMEMBERSHIPS2 |
  DrsExtFlags.GETCHGREQ_V6 |
  DrsExtFlags.NONDOMAIN_NCS |
  DrsExtFlags.GETCHGREQ_V8 |
  DrsExtFlags.GETCHGREPLY_V5 |
  DrsExtFlags.GETCHGREPLY_V6 |
  DrsExtFlags.ADDENTRYREPLY_V3

/** DS_NAME_FORMAT values for IDL_DRSCrackNames (MS-DRSR §4.1.4.1.3) and the one we use beyond them. */
export const DsNameFormat = {
  DS_UNKNOWN_NAME: 0,
  DS_FQDN_1779_NAME: 1,
  DS_NT4_ACCOUNT_NAME: 2,
  DS_DISPLAY_NAME: 3,
  DS_UNIQUE_ID_NAME: 6,
  DS_CANONICAL_NAME: 7,
  DS_USER_PRINCIPAL_NAME: 8,
  DS_SERVICE_PRINCIPAL_NAME: 10,
  DS_SID_OR_SID_HISTORY_NAME: 11,
} as const

/** DS_NAME_ERROR values a CrackNames item can carry. */
export const DsNameStatus = {
  DS_NAME_NO_ERROR: 0,
  DS_NAME_ERROR_RESOLVING: 1,
  DS_NAME_ERROR_NOT_FOUND: 2,
  DS_NAME_ERROR_NOT_UNIQUE: 3,
  DS_NAME_ERROR_NO_MAPPING: 4,
  DS_NAME_ERROR_DOMAIN_ONLY: 5,
  DS_NAME_ERROR_NO_SYNTACTICAL_MAPPING: 6,
  DS_NAME_ERROR_TRUST_REFERRAL: 7,
} as const
