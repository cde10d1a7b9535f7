/** @module Lab lifecycle on labs of its own: one samba per lab, a clean down, and every bad-input path. */
import assert from 'node:assert/strict'
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { connect, createServer, type Server } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, test } from 'node:test'
import { IdbridgeError } from '../errors/idbridge-error.ts'
import { labDown, labReset, labStatus, labUp } from './lab.ts'
import { labPaths } from './lab-paths.ts'
import { labMarker } from './lab-state.ts'
import { takenPorts } from './port-check.ts'
import { findLabProcesses, readProcess } from './process-tree.ts'

const created: string[] = []
const used = new Set<string>()

// Each lab here gets a loopback address nobody else uses right now (the shared test lab, a dev lab).
async function freeAddress(): Promise<string> {
  for (let host = 50; host < 250; host++) {
    const address = `127.0.0.${host}`
    if (used.has(address)) continue
    if ((await takenPorts(address)).length === 0) {
      used.add(address)
      return address
    }
  }
  throw new Error('no free loopback address in 127.0.0.50-249')
}
async function freshDir(): Promise<string> {
  const dir = join(await mkdtemp(join(tmpdir(), 'idbridge-lab-')), 'lab')
  created.push(dir)
  return dir
}

function rejectsWith(code: string) {
  return (error: unknown) => IdbridgeError.is(error) && error.code === code
}

async function sambaMasters(sessionPid: number, smbConf: string): Promise<number> {
  const processes = await findLabProcesses(sessionPid, smbConf)
  return processes.filter((p) => p.cmdline.startsWith('samba: root process') || p.pid === sessionPid).length
}

function portOpen(address: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: address, port })
    socket.once('connect', () => {
      socket.destroy()
      resolve(true)
    })
    socket.once('error', () => resolve(false))
  })
}

describe('lab lifecycle', () => {
  after(async () => {
    for (const dir of created) {
      await labDown({ dir }).catch(() => {})
      await rm(join(dir, '..'), { recursive: true, force: true })
    }
  })

  test('up starts one samba, up again starts none, down stops every process by PID', async () => {
    const dir = await freshDir()
    const address = await freeAddress()
    const elsewhere = await freeAddress()
    const info = await labUp({ dir, address })
    assert.ok(info.pid && (await readProcess(info.pid)), 'samba is not running')
    assert.ok(await portOpen(address, 636))
    // Bound to its own address only: the same port on another loopback address stays closed.
    assert.equal(await portOpen(elsewhere, 636), false)
    assert.equal(await portOpen(elsewhere, 88), false)
    const again = await labUp({ dir })
    assert.equal(again.pid, info.pid)
    assert.equal(await sambaMasters(info.pid, info.smbConfPath), 1)
    assert.equal((await labStatus({ dir })).state, 'running')

    const before = await findLabProcesses(info.pid, info.smbConfPath)
    assert.ok(before.length > 5, `expected samba's process tree, found ${before.length}`)
    const stopped = await labDown({ dir })
    for (const p of before) assert.ok(stopped.includes(p.pid), `down did not account for ${p.pid} ${p.cmdline}`)
    assert.deepEqual(await findLabProcesses(info.pid, info.smbConfPath), [])
    assert.equal(await readProcess(info.pid), null)
    assert.equal(await portOpen(address, 636), false)
    assert.equal((await labStatus({ dir })).state, 'stopped')

    const restarted = await labUp({ dir })
    assert.notEqual(restarted.pid, info.pid)
    assert.equal((await labStatus({ dir })).state, 'running')
    await labDown({ dir })
    assert.deepEqual(await findLabProcesses(restarted.pid, info.smbConfPath), [])
  })

  test('a taken port is reported quickly, leaves nothing running, and up works once it is free', async () => {
    const dir = await freshDir()
    const address = await freeAddress()
    const blocker: Server = createServer()
    await new Promise<void>((resolve) => blocker.listen(636, address, resolve))
    try {
      const started = Date.now()
      await assert.rejects(labUp({ dir, address }), rejectsWith('IDB_ERR_LAB_PORT_IN_USE'))
      assert.ok(Date.now() - started < 30_000)
    } finally {
      await new Promise((resolve) => blocker.close(resolve))
    }
    assert.deepEqual(await findLabProcesses(null, labPaths(dir).smbConf), [])
    const info = await labUp({ dir, address })
    assert.ok(info.pid)
    await labDown({ dir })
  })

  test('a half-provisioned folder is refused with a clear code, and reset recovers it', async () => {
    const dir = await freshDir()
    const address = await freeAddress()
    await mkdir(dir, { recursive: true })
    await writeFile(labPaths(dir).marker, labMarker)
    await writeFile(labPaths(dir).state, JSON.stringify({ phase: 'provisioning' }))
    await assert.rejects(labUp({ dir, address }), rejectsWith('IDB_ERR_LAB_HALF_PROVISIONED'))
    assert.equal((await labStatus({ dir })).state, 'half-provisioned')
    const info = await labReset({ dir, address })
    assert.equal((await labStatus({ dir })).state, 'running')
    assert.ok(info.pid)
    await labDown({ dir })
  })

  test('a folder that is not a lab is neither used nor deleted', async () => {
    const dir = await freshDir()
    await mkdir(dir, { recursive: true })
    await writeFile(join(dir, 'keep.txt'), 'precious')
    await assert.rejects(labUp({ dir, address: '127.0.0.250' }), rejectsWith('IDB_ERR_LAB_FOLDER_NOT_A_LAB'))
    await assert.rejects(labReset({ dir, address: '127.0.0.250' }), rejectsWith('IDB_ERR_LAB_FOLDER_NOT_A_LAB'))
    assert.equal(await readFile(join(dir, 'keep.txt'), 'utf8'), 'precious')
  })

  test('an address outside 127/8 is refused before anything is created', async () => {
    const dir = await freshDir()
    await assert.rejects(labUp({ dir, address: '10.0.0.5' }), rejectsWith('IDB_ERR_LAB_ADDRESS_INVALID'))
    assert.equal((await labStatus({ dir })).state, 'absent')
  })
})
