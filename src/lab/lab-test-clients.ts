/** @module Real AD clients for the lab tests (kinit, smbclient, ldapsearch, ldapmodify), secrets via files and stdin. */
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { readLabInfo } from './lab.ts'
import type { LabInfo } from './lab-info.ts'
import { type CommandResult, runCommand } from './run-command.ts'

/**
 * The lab scripts/test.sh started for this run. Unset means the tests were started some other
 * way; that is a failure, not a skip, because a skipped test proves nothing.
 */
export async function testLab(): Promise<LabInfo> {
  const path = process.env.IDBRIDGE_TEST_LAB
  if (!path) {
    throw new Error(
      'IDBRIDGE_TEST_LAB is not set. Run the tests with `npm test` (scripts/test.sh starts one lab per run), ' +
        'or run `idbridge lab up --json > lab.json` and set IDBRIDGE_TEST_LAB=lab.json.',
    )
  }
  return readLabInfo(path)
}

/** Runs `work` with a private folder for secret files and credential caches, removed afterwards. */
export async function withSecrets<T>(work: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'idbridge-lab-test-'))
  try {
    return await work(dir)
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

/** kinit with the password on stdin, a private ccache and the lab's krb5.conf; returns kinit's result. */
export async function kinit(lab: LabInfo, username: string, password: string): Promise<CommandResult> {
  return withSecrets(async (dir) => {
    const env = { KRB5_CONFIG: lab.krb5ConfigPath, KRB5CCNAME: `FILE:${join(dir, 'ccache')}` }
    const result = await runCommand('kinit', [`${username}@${lab.realm}`], {
      input: `${password}\n`,
      env,
      allowFailure: true,
      timeoutMs: 20_000,
    })
    if (result.code !== 0) return result
    const klist = await runCommand('klist', [], { env, allowFailure: true })
    return { ...result, stdout: `${result.stdout}\n${klist.stdout}` }
  })
}

/** smbclient against the DC with an authentication file (0600) instead of -U user%password. */
export async function smbclient(lab: LabInfo, username: string, password: string, share: string, command: string) {
  return withSecrets(async (dir) => {
    const auth = join(dir, 'auth')
    await writeFile(auth, `username = ${username}\npassword = ${password}\ndomain = ${lab.netbiosDomain}\n`, {
      mode: 0o600,
    })
    return runCommand('smbclient', ['-A', auth, `//${lab.address}/${share}`, '-c', command], {
      allowFailure: true,
      timeoutMs: 30_000,
    })
  })
}

export interface Bind {
  readonly dn: string
  readonly password: string
}

function ldapEnv(lab: LabInfo): Record<string, string> {
  return { LDAPTLS_CACERT: lab.caCertPath, LDAPTLS_REQCERT: 'demand', LDAPCONF: '/dev/null', LDAPRC: '/dev/null' }
}

/** An LDAPS read with ldapsearch; `sdFlags` asks for parts of nTSecurityDescriptor (4 = DACL). */
export async function ldapsearch(
  lab: LabInfo,
  bind: Bind,
  base: string,
  options: { scope?: 'base' | 'one' | 'sub'; filter?: string; attributes?: readonly string[]; sdFlags?: number } = {},
): Promise<Array<Map<string, Buffer[]>>> {
  return withSecrets(async (dir) => {
    const passwordFile = join(dir, 'password')
    await writeFile(passwordFile, bind.password, { mode: 0o600 })
    const control =
      options.sdFlags === undefined
        ? []
        : [
            '-E',
            `!1.2.840.113556.1.4.801=::${Buffer.from([0x30, 0x03, 0x02, 0x01, options.sdFlags]).toString('base64')}`,
          ]
    const { stdout } = await runCommand(
      'ldapsearch',
      [
        ...['-LLL', '-o', 'ldif-wrap=no', '-H', lab.ldapUrl, '-x', '-D', bind.dn, '-y', passwordFile],
        ...['-b', base, '-s', options.scope ?? 'base', ...control, options.filter ?? '(objectClass=*)'],
        ...(options.attributes ?? []),
      ],
      { env: ldapEnv(lab), timeoutMs: 30_000 },
    )
    return stdout
      .split(/\n\n+/)
      .filter((block) => block.startsWith('dn'))
      .map((block) => {
        const record = new Map<string, Buffer[]>()
        for (const line of block.split('\n')) {
          const match = /^([A-Za-z0-9-]+)(::?) ?(.*)$/.exec(line)
          if (!match) continue
          const [, name, sep, value = ''] = match
          const bytes = sep === '::' ? Buffer.from(value, 'base64') : Buffer.from(value, 'utf8')
          record.set(name!.toLowerCase(), [...(record.get(name!.toLowerCase()) ?? []), bytes])
        }
        return record
      })
  })
}

/** ldapmodify over LDAPS with the LDIF (which may hold a password) in a 0600 file; returns the result code. */
export async function ldapmodify(lab: LabInfo, bind: Bind, ldif: string): Promise<CommandResult> {
  return withSecrets(async (dir) => {
    const passwordFile = join(dir, 'password')
    const ldifFile = join(dir, 'change.ldif')
    await writeFile(passwordFile, bind.password, { mode: 0o600 })
    await writeFile(ldifFile, ldif, { mode: 0o600 })
    return runCommand('ldapmodify', ['-H', lab.ldapUrl, '-x', '-D', bind.dn, '-y', passwordFile, '-f', ldifFile], {
      env: ldapEnv(lab),
      allowFailure: true,
      timeoutMs: 30_000,
    })
  })
}
