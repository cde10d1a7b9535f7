/** @module The agent's key file: its id, tenant, cloud URL and private keys, readable only by the agent's OS user. */
import { randomBytes } from 'node:crypto'
import { chmod, mkdir, open, readFile, rename, rm, stat } from 'node:fs/promises'
import path from 'node:path'
import { z } from 'zod'
import { repoRoot } from '../../config/load-config.ts'
import { IdbridgeError, type Result } from '../../errors/idbridge-error.ts'

export const KEY_FILE_NAME = 'agent-key.json'
/** rotate-keys keeps the new keys here until the tenant confirms them. */
export const NEXT_KEY_FILE_NAME = 'agent-key.next.json'

/** Where `agent register` puts the key file unless --dir says otherwise. */
export const defaultAgentDir = (): string => path.join(repoRoot, 'var', 'agent')

const keyFileSchema = z
  .object({
    format: z.literal('idbridge-agent-key/1'),
    agentId: z.uuid(),
    tenantId: z.string().min(1),
    cloudUrl: z.url({ protocol: /^https$/ }),
    /** A CA certificate file trusted for the cloud URL, when it is not publicly trusted. */
    caFile: z.string().min(1).optional(),
    keysCreatedAt: z.number().int(),
    identityPublicKey: z.string().min(1),
    identityPrivateKey: z.string().min(1),
    encryptionPublicKey: z.string().min(1),
    encryptionPrivateKey: z.string().min(1),
  })
  .strict()

export type AgentKeyFile = z.infer<typeof keyFileSchema>

export const keyFilePath = (dir: string): string => path.join(dir, KEY_FILE_NAME)

/**
 * Writes the whole file under a temporary name created with 0600 (never briefly world-readable),
 * syncs it and renames it over the old one, so a crash leaves either the old keys or the new.
 */
export async function writeAgentKeyFile(dir: string, contents: AgentKeyFile, name = KEY_FILE_NAME): Promise<string> {
  const parsed = keyFileSchema.parse(contents)
  await mkdir(dir, { recursive: true, mode: 0o700 })
  await chmod(dir, 0o700)
  const target = path.join(dir, name)
  const temp = `${target}.${randomBytes(6).toString('hex')}.tmp`
  const handle = await open(temp, 'wx', 0o600)
  try {
    await handle.writeFile(`${JSON.stringify(parsed, null, 2)}\n`)
    await handle.sync()
  } finally {
    await handle.close()
  }
  try {
    await rename(temp, target)
  } catch (error) {
    await rm(temp, { force: true })
    throw error
  }
  return target
}

/** Refuses a file other users can read: a leaked identity key lets anyone impersonate the agent. */
export async function readAgentKeyFile(dir: string): Promise<Result<AgentKeyFile>> {
  const file = keyFilePath(dir)
  const fail = (detail: string, cause?: unknown): Result<AgentKeyFile> => ({
    ok: false,
    error: new IdbridgeError('IDB_ERR_AGENT_KEY_FILE', { detail, cause }),
  })
  let text: string
  try {
    const info = await stat(file)
    if (process.platform !== 'win32' && (info.mode & 0o077) !== 0) {
      return fail(`${file} has mode ${(info.mode & 0o777).toString(8)}; it must be 600`)
    }
    text = await readFile(file, 'utf8')
  } catch (cause) {
    return fail(`cannot read ${file}`, cause)
  }
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    return fail(`${file} is not JSON`)
  }
  const parsed = keyFileSchema.safeParse(json)
  if (!parsed.success) return fail(`${file} is not an idbridge agent key file (${parsed.error.issues[0]?.message})`)
  return { ok: true, value: parsed.data }
}
