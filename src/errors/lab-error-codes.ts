/** @module Error codes of the Samba AD DC lab (`idbridge lab`). */
import type { ErrorDefinition } from './error-definition.ts'

export const labErrorCodes = {
  IDB_ERR_LAB_SAMBA_MISSING: {
    status: 500,
    message: 'The lab needs Samba, which is not installed.',
    cause:
      'The Debian packages for the Samba AD DC are missing and this process is not root, so it cannot install them.',
    fix: 'Run the apt-get command printed above as root, or run `bash scripts/ensure-system-packages.sh start` as root.',
  },
  IDB_ERR_LAB_NEEDS_ROOT: {
    status: 500,
    message: 'The lab must run as root.',
    cause: 'A Samba AD DC binds privileged ports (88, 389, 445, 636) and needs a private mount of /run/samba.',
    fix: 'Run `idbridge lab` as root, for example in a container or a throwaway VM.',
  },
  IDB_ERR_LAB_ADDRESS_INVALID: {
    status: 400,
    message: 'The lab address must be a loopback address such as 127.0.0.11.',
    cause: '--address was not an IPv4 address in 127.0.0.0/8, or it was 127.0.0.1, which other services share.',
    fix: 'Pick another loopback address, for example `--address 127.0.0.12`.',
  },
  IDB_ERR_LAB_PORT_IN_USE: {
    status: 409,
    message: 'A port the lab needs is already taken on its address.',
    cause: 'Another program (or another lab) listens on this loopback address, or on all addresses, on an AD port.',
    fix: 'Stop that program, or give this lab its own address with `--address 127.0.0.x`.',
  },
  IDB_ERR_LAB_HALF_PROVISIONED: {
    status: 409,
    message: 'The lab folder holds a domain whose provisioning did not finish.',
    cause: 'An earlier `lab up` was interrupted or failed while provisioning or seeding.',
    fix: 'Run `idbridge lab reset` (with the same --dir) to throw it away and provision a fresh domain.',
  },
  IDB_ERR_LAB_FOLDER_NOT_A_LAB: {
    status: 409,
    message: 'The lab folder exists but is not a lab made by this version of idbridge.',
    cause: 'The folder is not empty and has no lab marker, or it was made by an incompatible version.',
    fix: 'Choose another folder with --dir, or run `idbridge lab reset` if the folder is an old lab you may delete.',
  },
  IDB_ERR_LAB_OPTIONS_MISMATCH: {
    status: 409,
    message: 'The lab in this folder was made with other options.',
    cause: 'The running or provisioned lab differs in --users, --address or the password age switch from this request.',
    fix: 'Run `idbridge lab reset` with the options you want, or drop the options to reuse the existing lab.',
  },
  IDB_ERR_LAB_BUSY: {
    status: 409,
    message: 'Another lab command is working on this lab folder.',
    cause: 'A concurrent `idbridge lab` process holds the folder lock.',
    fix: 'Wait for it to finish. If no such process exists, delete the `.lock` file next to the lab folder.',
  },
  IDB_ERR_LAB_NOT_FOUND: {
    status: 404,
    message: 'There is no lab in this folder.',
    cause: '`lab up` has not been run for this folder, or the lab was reset away.',
    fix: 'Run `idbridge lab up` (with the same --dir).',
  },
  IDB_ERR_LAB_PROVISION_FAILED: {
    status: 500,
    message: 'Provisioning or seeding the lab domain failed.',
    cause: 'samba-tool, ldbadd, ldbmodify or openssl exited with an error; the detail has its output.',
    fix: 'Read the detail, then run `idbridge lab reset`. If it repeats, check disk space and the Samba version.',
  },
  IDB_ERR_LAB_START_FAILED: {
    status: 500,
    message: 'The lab domain controller exited while starting.',
    cause: 'samba stopped before LDAPS answered; the detail has the end of its log.',
    fix: 'Read the log lines in the detail. A bind error means a port is taken: use another --address.',
  },
  IDB_ERR_LAB_START_TIMEOUT: {
    status: 504,
    message: 'The lab domain controller did not answer LDAPS in time.',
    cause: 'samba is running but LDAPS did not accept an administrator bind before the timeout.',
    fix: 'Look at the samba log named in the detail, then run `idbridge lab reset`.',
  },
  IDB_ERR_LAB_STOP_FAILED: {
    status: 500,
    message: 'Some lab processes did not stop.',
    cause: 'Processes of this lab survived SIGTERM and SIGKILL; the detail lists their PIDs.',
    fix: 'Inspect them with `ps -p <pid>`; they belong to this lab only and may be killed by PID.',
  },
} as const satisfies Record<string, ErrorDefinition>
