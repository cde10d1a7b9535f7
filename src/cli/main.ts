/** @module The `idbridge` command line. */
import { Command } from 'commander'
import { defineLabCommand } from '../lab/lab-command.ts'
import { defineAdminCommand } from './admin-command.ts'
import { defineAgentCommand } from './agent-command.ts'
import { defineAuditCommand } from './audit-command.ts'
import { defineCloudCommand } from './cloud-command.ts'
import { defineDoctorCommand } from './doctor-command.ts'
import { runCli } from './run-cli.ts'
import { definePhsCommand } from './phs-command.ts'
import { defineStartCommand } from './start-command.ts'
import { defineSyncCommand } from './sync-command.ts'
import { defineTenantCommand } from './tenant-command.ts'
import { defineUserCommand } from './user-command.ts'

const program = new Command('idbridge')
  .description('Hybrid identity bridge: directory sync, password hash sync and password writeback for Active Directory')
  .version('0.1.0')
  .showHelpAfterError()

program.addCommand(defineStartCommand())
program.addCommand(defineCloudCommand())
program.addCommand(defineTenantCommand())
program.addCommand(defineAdminCommand())
program.addCommand(defineUserCommand())
program.addCommand(defineAuditCommand())
program.addCommand(defineAgentCommand())
program.addCommand(defineSyncCommand())
program.addCommand(definePhsCommand())
program.addCommand(defineLabCommand())
program.addCommand(defineDoctorCommand())

await runCli(program, process.argv)
