/** @module The agent's configuration: which DCs, which scope, how often. The bind password lives apart. */
import { readFileSync } from 'node:fs'
import { z } from 'zod'
import { IdbridgeError } from '../errors/idbridge-error.ts'

export const agentConfigSchema = z
  .object({
    directory: z
      .object({
        /** Tried in order: the reference's "preferred domain controllers". ldap:// means StartTLS. */
        domainControllers: z.array(z.string().regex(/^ldaps?:\/\/[^\s/]+$/, 'an ldaps:// or ldap:// URL')).min(1),
        baseDn: z.string().min(3),
        bindDn: z.string().min(3),
        /** A 0600 file holding the connector password, so it is in neither argv nor the environment. */
        bindPasswordFile: z.string().min(1),
        caCertFile: z.string().min(1),
        scope: z.object({ ous: z.array(z.string().min(3)).min(1), groupDn: z.string().min(3).optional() }).strict(),
      })
      .strict(),
    sync: z
      .object({
        deltaIntervalSeconds: z.number().int().min(10).max(86_400).default(120),
        batchSize: z.number().int().min(1).max(500).default(200),
        /** React to AD change notifications within seconds, besides the interval. */
        watchChanges: z.boolean().default(true),
        /**
         * How often a delta also checks that exported users still exist: Samba's DirSync does not
         * show deletions to a delegated connector, so this is how they are found there.
         */
        presenceCheckSeconds: z.number().int().min(0).max(86_400).default(60),
      })
      .strict()
      .default({ deltaIntervalSeconds: 120, batchSize: 200, watchChanges: true, presenceCheckSeconds: 60 }),
    /** Password writeback (`password.operation` requests); absent in configs written before it existed. */
    writeback: z
      .object({
        /** Off: the agent takes no password operations and the tenant gets IDB_ERR_AGENT_UNSUPPORTED. */
        enabled: z.boolean().default(true),
        /**
         * What a reset does on a DC that lacks the policy-hints control (Samba never has it):
         * `proceed` resets without history enforcement and says so in the result; `refuse` fails with event 6329.
         */
        withoutPolicyHints: z.enum(['proceed', 'refuse']).default('proceed'),
      })
      .strict()
      .default({ enabled: true, withoutPolicyHints: 'proceed' }),
    /**
     * Password hash sync (MS-DRSR replication of unicodePwd). Absent or off: no hashes are read.
     * The connector account signs in over NTLM with the directory's bind password file.
     */
    phs: z
      .object({
        enabled: z.boolean().default(false),
        /** NetBIOS domain and sAMAccountName of the connector account, for NTLM. */
        account: z.object({ domain: z.string().min(1).max(15), username: z.string().min(1).max(256) }).strict(),
        /** DC host names for RPC, in preference order; default: the hosts of directory.domainControllers. */
        domainControllers: z.array(z.string().regex(/^[A-Za-z0-9.:[\]-]+$/, 'a host name or address')).min(1).optional(),
        /** The reference's 2-minute cycle; change notifications start a delta sooner. */
        intervalSeconds: z.number().int().min(10).max(86_400).default(120),
      })
      .strict()
      .optional(),
  })
  .strict()

export type AgentConfig = z.infer<typeof agentConfigSchema>

export function readAgentConfig(file: string): AgentConfig {
  let raw: unknown
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'))
  } catch (cause) {
    throw new IdbridgeError('IDB_ERR_CONFIG_INVALID', { detail: `cannot read agent config ${file}`, cause })
  }
  const parsed = agentConfigSchema.safeParse(raw)
  if (!parsed.success) {
    const detail = parsed.error.issues.map((i) => `${i.path.join('.')} (in ${file}): ${i.message}`).join('; ')
    throw new IdbridgeError('IDB_ERR_CONFIG_INVALID', { detail })
  }
  return parsed.data
}
