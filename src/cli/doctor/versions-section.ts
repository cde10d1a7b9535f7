/** @module Versions of what the doctor runs on: Node, idbridge, Samba when installed, the OS. */
import { execFile } from 'node:child_process'
import os from 'node:os'
import { agentVersion } from '../../agent/channel/agent-version.ts'
import { type DoctorSection, section } from './doctor-report.ts'

/** `samba --version` with a short timeout: a missing or wedged binary must not stall the doctor. */
function sambaVersion(): Promise<string | null> {
  return new Promise((resolve) => {
    execFile('samba', ['--version'], { timeout: 3000 }, (error, stdout) => {
      if (error) return resolve(null)
      const line = String(stdout).split('\n')[0] ?? ''
      resolve(line.replace(/^Version\s+/i, '').trim().slice(0, 100) || null)
    })
  })
}

export async function versionsSection(): Promise<DoctorSection> {
  const data = {
    idbridge: agentVersion,
    node: process.version,
    samba: await sambaVersion(),
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
  }
  return section(
    `idbridge ${data.idbridge} on Node ${data.node}, Samba ${data.samba ?? 'not installed'}`,
    data,
  )
}
