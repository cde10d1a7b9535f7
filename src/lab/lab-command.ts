/** @module `idbridge lab up | down | status | reset`: a disposable Samba AD DC for demos and tests. */
import { Command, InvalidArgumentError } from 'commander'
import { formatLabInfo } from './format-lab-info.ts'
import { labDown, labReset, labStatus, labUp } from './lab.ts'
import type { LabOptions } from './lab-options.ts'

interface UpFlags {
  dir?: string
  address?: string
  users?: number
  minPasswordAge1d?: boolean
  cache?: boolean
  json?: boolean
}

function count(value: string): number {
  const n = Number(value)
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('expected a whole number')
  return n
}

function upOptions(flags: UpFlags): LabOptions {
  return {
    dir: flags.dir,
    address: flags.address,
    users: flags.users,
    minPasswordAgeOneDay: flags.minPasswordAge1d,
    cacheDir: flags.cache === false ? false : undefined,
    // Progress goes to stderr so that --json output stays parseable.
    log: (line) => process.stderr.write(`${line}\n`),
  }
}

function withUpFlags(command: Command): Command {
  return command
    .option('--dir <path>', 'lab folder (default: var/lab in the checkout)')
    .option('--address <ip>', 'loopback address the DC binds to alone (default 127.0.0.11)')
    .option('--users <n>', 'extra benchmark users under OU=Bench (cached per size)', count)
    .option('--min-password-age-1d', 'minimum password age 1 day instead of 0, for policy-violation tests')
    .option('--no-cache', 'provision from scratch and do not use or fill the domain cache')
    .option('--json', 'print the lab description as JSON')
}

/**
 * The `lab` command group.
 *
 * @example
 * program.addCommand(defineLabCommand())
 */
export function defineLabCommand(): Command {
  const lab = new Command('lab').description('A disposable Samba AD DC on a loopback address of its own')
  withUpFlags(lab.command('up').description('provision (or copy a cached domain) and start the lab')).action(
    async (flags: UpFlags) => print(await labUp(upOptions(flags)), flags.json),
  )
  withUpFlags(lab.command('reset').description('stop the lab, delete its folder and bring up a fresh one')).action(
    async (flags: UpFlags) => print(await labReset(upOptions(flags)), flags.json),
  )
  lab
    .command('down')
    .description('stop every process of the lab; the domain is kept for the next up')
    .option('--dir <path>', 'lab folder (default: var/lab in the checkout)')
    .option('--json', 'print the stopped PIDs as JSON')
    .action(async (flags: { dir?: string; json?: boolean }) => {
      const stopped = await labDown({ dir: flags.dir })
      if (flags.json) process.stdout.write(`${JSON.stringify({ stopped })}\n`)
      else
        process.stdout.write(stopped.length ? `Stopped ${stopped.length} processes.\n` : 'The lab was not running.\n')
    })
  lab
    .command('status')
    .description('say whether the lab exists and runs (exit 0 running, 3 not running)')
    .option('--dir <path>', 'lab folder (default: var/lab in the checkout)')
    .option('--json', 'print the status as JSON')
    .action(async (flags: { dir?: string; json?: boolean }) => {
      const status = await labStatus({ dir: flags.dir })
      if (flags.json) process.stdout.write(`${JSON.stringify(status, null, 2)}\n`)
      else if ('info' in status) process.stdout.write(`${status.state}\n${formatLabInfo(status.info)}`)
      else process.stdout.write(`${status.state}: ${status.dir}${status.detail ? ` (${status.detail})` : ''}\n`)
      if (status.state !== 'running') process.exitCode = 3
    })
  return lab
}

function print(info: Parameters<typeof formatLabInfo>[0], json: boolean | undefined): void {
  process.stdout.write(json ? `${JSON.stringify(info, null, 2)}\n` : formatLabInfo(info))
}
