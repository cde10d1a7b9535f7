import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { after, before, describe, it } from 'node:test'
import type { Page } from 'playwright-core'
import { agentConfigSchema } from '../../agent/agent-config.ts'
import { ConnectorTestLab } from '../../agent/directory/connector-test-lab.ts'
import { readEvents } from '../../agent/events/jsonl-event-log.ts'
import { type RunningAgent, startAgent } from '../../agent/start-agent.ts'
import { CONNECTOR_PASSWORD_FILE, writeAgentConfig } from '../../cli/agent-run-commands.ts'
import { prepareLabAgent } from '../../cli/demo-agent.ts'
import { loadConfig } from '../../config/load-config.ts'
import { type HeadlessBrowser, launchHeadlessBrowser } from '../../lab/headless-browser.ts'
import { kinit, smbclient } from '../../lab/lab-test-clients.ts'
import { type RunningCloud, startCloud } from '../start-cloud.ts'
import { RecordingCaptcha } from './recording-captcha.ts'
import { eventually } from '../../lab/eventually.ts'

const pw = (tag: string) => `${tag}-${randomBytes(4).toString('hex')}-Qx7!`

/** Every file under `dir`, recursively, as bytes. */
/** Waits for the next page; on a timeout the error carries what the page said instead. */
async function expectPage(page: Page, url: RegExp): Promise<void> {
  await page.waitForURL(url, { timeout: 15_000 }).catch(async () => {
    throw new Error(`expected ${url}, at ${page.url()}: ${(await page.locator('main').innerText()).slice(0, 600)}`)
  })
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((f) => path.join(dir, f))
    .filter((f) => statSync(f).isFile())
}

describe('SSPR with password writeback to the Samba lab, in Chromium', () => {
  let lab: ConnectorTestLab
  let cloud: RunningCloud
  let agent: RunningAgent | undefined
  let browser: HeadlessBrowser
  const captcha = new RecordingCaptcha()
  const dataDir = mkdtempSync(path.join(tmpdir(), 'idb-sspr-e2e-'))
  const agentDir = mkdtempSync(path.join(tmpdir(), 'idb-sspr-agent-'))
  const users: Record<string, { dn: string; sam: string; upn: string; password: string }> = {}
  const usedPasswords: string[] = []

  const addAdUser = async (key: string, cn: string) => {
    const password = pw(key)
    const dn = await lab.addUser(cn, { password })
    const sam = `ct-${cn.toLowerCase().replace(/[^a-z0-9]/g, '')}`.slice(0, 20)
    users[key] = { dn, sam, upn: `${sam}@${lab.lab.dnsDomain}`, password }
  }
  const tenantUser = (key: string) => cloud.store.users.getByUserPrincipalName(cloud.tenant.id, users[key]!.upn)
  const registerEmail = async (key: string) => {
    const user = (await tenantUser(key))!
    await cloud.store.securityInfo.put(cloud.tenant.id, user.id, {
      email: `${users[key]!.sam}@home.test`,
      phone: null,
      totp: null,
      questions: [],
      updatedAt: Date.now(),
    })
  }
  const restartAgent = async (connector: { dn: string; password: string }) => {
    await agent?.stop()
    const config = agentConfigSchema.parse(JSON.parse(readFileSync(path.join(agentDir, 'agent.config.json'), 'utf8')))
    writeAgentConfig(agentDir, { ...config, directory: { ...config.directory, bindDn: connector.dn } }, connector.password)
    agent = await startAgent(agentDir)
    await agent.firstRun
  }

  before(async () => {
    lab = await ConnectorTestLab.open()
    const configFile = path.join(dataDir, 'idbridge.config.json')
    writeFileSync(
      configFile,
      JSON.stringify({ dataDir, http: { port: 0 }, sspr: { labSinks: true, resultWaitSeconds: 20 } }),
    )
    cloud = await startCloud(loadConfig({ file: configFile, env: {} }), { captcha })
    await cloud.store.tenants.updateSettings(cloud.tenant.id, {
      ...cloud.tenant.settings,
      ssprEnabled: true,
      passwordWritebackEnabled: true,
    })
    await addAdUser('demo', 'Dora Demo')
    await addAdUser('locked', 'Lou Locked')
    await addAdUser('admin', 'Ada Protected')
    await addAdUser('former', 'Fay Former')
    await addAdUser('deleted', 'Del Gone')
    await lab.admin.modify(`CN=Domain Admins,CN=Users,${lab.lab.baseDn}`, [lab.add('member', users.admin!.dn)])
    await lab.set(users.former!.dn, 'adminCount', '1')
    await prepareLabAgent(cloud, lab.lab, agentDir, {
      ous: [lab.inOu],
      sync: { deltaIntervalSeconds: 10, presenceCheckSeconds: 0 },
    })
    agent = await startAgent(agentDir)
    await agent.firstRun
    for (const key of Object.keys(users)) await eventually(`${key} in the tenant`, () => tenantUser(key))
    for (const key of ['locked', 'admin', 'former', 'deleted']) await registerEmail(key)
    browser = await launchHeadlessBrowser()
  })

  after(async () => {
    await browser?.close()
    await agent?.stop()
    await cloud?.close()
    await lab?.cleanup()
  })

  const codeFor = async (key: string) =>
    eventually('a one-time code in the lab sink', async () => {
      const mail = cloud.labSink!.messages().filter((m) => m.to === `${users[key]!.sam}@home.test`).at(-1)
      return mail?.text.match(/code is (\d{8})/)?.[1]
    })

  /** Walks the portal as the user does: sign-in page, "Forgot my password", captcha, a code by email. */
  async function walkReset(key: string, choice: 'reset' | 'unlock', newPassword?: string): Promise<{ page: Page; text: string }> {
    const context = await browser.newContext()
    const page = await context.newPage()
    await page.goto(`${cloud.url}/t/${cloud.tenant.name}/signin`)
    await page.getByRole('link', { name: 'Forgot my password' }).click()
    await page.getByLabel('Email or username').fill(users[key]!.upn)
    await page.getByLabel('Enter the characters in the picture').fill(captcha.issued.at(-1)!.toLowerCase())
    await page.getByRole('button', { name: 'Next' }).click()
    await expectPage(page, /\/sspr\/verify$/)
    const before = cloud.labSink!.messages().length
    await page.getByLabel(/Email my alternate email/).check()
    await page.getByRole('button', { name: 'Continue' }).click()
    await eventually('the code mail', async () => cloud.labSink!.messages().length > before)
    await page.getByLabel('Verification code').fill(await codeFor(key))
    await page.getByRole('button', { name: 'Verify' }).click()
    await page
      .getByLabel(choice === 'reset' ? 'I forgot my password' : "I know my password, but still can't sign in")
      .check()
    await page.getByRole('button', { name: 'Next' }).click()
    if (newPassword !== undefined) {
      usedPasswords.push(newPassword)
      await page.getByLabel('Enter new password').fill(newPassword)
      await page.getByLabel('Confirm new password').fill(newPassword)
      await page.getByRole('button', { name: 'Finish' }).click()
    }
    const text = await page.locator('main').innerText()
    return { page, text }
  }

  it('signs the demo user in against AD, registers an email, resets in the browser, and AD takes the new password', async () => {
    const demo = users.demo!
    const context = await browser.newContext()
    const page = await context.newPage()
    await page.goto(`${cloud.url}/t/${cloud.tenant.name}/signin`)
    await page.getByLabel('Email or username').fill(demo.upn)
    await page.getByLabel('Password').fill(demo.password)
    await page.getByRole('button', { name: 'Sign in' }).click()
    await expectPage(page, /\/me$/)
    await page.getByRole('link', { name: 'Security info' }).click()
    await page.getByLabel('Email address').fill(`${demo.sam}@home.test`)
    await page.getByRole('button', { name: 'Save email' }).click()
    assert.match(await page.getByRole('status').innerText(), /Saved/)

    const next = pw('Reset')
    const { text } = await walkReset('demo', 'reset', next)
    assert.match(text, /Your password has been reset/)
    assert.match(text, /Active Directory/)
    assert.equal((await kinit(lab.lab, demo.sam, next)).code, 0, 'kinit takes the new password')
    assert.notEqual((await kinit(lab.lab, demo.sam, demo.password)).code, 0, 'kinit refuses the old one')
    assert.equal((await smbclient(lab.lab, demo.sam, next, 'netlogon', 'ls')).code, 0)
    assert.notEqual((await smbclient(lab.lab, demo.sam, demo.password, 'netlogon', 'ls')).code, 0)
    const events = readEvents(path.join(agentDir, 'events'), {}).map((e) => e.id)
    for (const id of [31001, 405, 403, 31002]) assert.ok(events.includes(id), `agent event ${id}`)
    const success = readEvents(path.join(agentDir, 'events'), { id: 31002 }).at(-1)!
    assert.match(success.message, /PasswordResetSuccess, Details: Context: cloudAnchor: User_.*SourceAnchorValue: .*UserPrincipalName: .*unblockUser: True/)
    const audit = await cloud.store.audit.list(cloud.tenant.id, { target: demo.upn, limit: 30 })
    const activities = audit.map((a) => a.activity)
    for (const activity of [
      'Reset password (self-service)',
      'Reset user password',
      'Update StsRefreshTokenValidFrom Timestamp',
      'Self-service password reset flow activity progress',
    ]) {
      assert.ok(activities.includes(activity), activity)
    }
    users.demo = { ...demo, password: next }
  })

  it('names the on-premises policy refusal (33008) and the banned word (tenant message)', async () => {
    const tooShort = await walkReset('demo', 'reset', 'Qz7!k')
    assert.match(tooShort.text, /SSPR_ONPREM_POLICY/)
    assert.match(tooShort.text, /IDB_ERR_WB_POLICY, agent event 33008/)
    assert.match(tooShort.text, /at least \d+ characters/)
    const banned = await walkReset('demo', 'reset', 'P@ssw0rd123')
    assert.match(banned.text, /easy to guess/)
    assert.match(banned.text, /SSPR_BANNED_PASSWORD/)
  })

  it('refuses protected and former admins with 33004 / SSPR_0029, and lets the protected admin change with the old password', async () => {
    for (const key of ['admin', 'former']) {
      const { text } = await walkReset(key, 'reset', pw('Never'))
      assert.match(text, /SSPR_0029/)
      assert.match(text, /IDB_ERR_WB_PROTECTED_ACCOUNT, agent event 33004/)
    }
    const admin = users.admin!
    const context = await browser.newContext()
    const page = await context.newPage()
    await page.goto(`${cloud.url}/t/${cloud.tenant.name}/signin`)
    await page.getByLabel('Email or username').fill(admin.upn)
    await page.getByLabel('Password').fill(admin.password)
    await page.getByRole('button', { name: 'Sign in' }).click()
    await expectPage(page, /\/me$/)
    await page.getByRole('link', { name: 'Change password' }).click()
    const next = pw('Changed')
    usedPasswords.push(next)
    await page.getByLabel('Current password').fill(admin.password)
    await page.getByLabel('New password', { exact: true }).fill(next)
    await page.getByLabel('Confirm new password').fill(next)
    await page.getByRole('button', { name: 'Change password' }).click()
    assert.match(await page.getByRole('status').innerText(), /Your password has been changed/)
    assert.equal((await kinit(lab.lab, admin.sam, next)).code, 0)
  })

  it('reports a user deleted from AD as 33002 / SSPR_0029', async () => {
    // The tenant keeps the user until a sync notices; pointing its anchor at an object that never
    // existed keeps the sync from noticing first, so the reset reaches the agent as in the reference.
    const stale = (await tenantUser('deleted'))!
    const updated = await cloud.store.users.update(cloud.tenant.id, stale.id, {
      onPremises: { ...stale.onPremises!, immutableId: randomBytes(16).toString('base64') },
    })
    assert.ok(updated.ok)
    await lab.admin.del(users.deleted!.dn)
    const { text } = await walkReset('deleted', 'reset', pw('Gone'))
    assert.match(text, /SSPR_0029/)
    assert.match(text, /IDB_ERR_WB_USER_NOT_FOUND, agent event 33002/)
  })

  it('unlocks a locked-out user without a reset, and kinit works again', async () => {
    const locked = users.locked!
    for (let i = 0; i < lab.lab.policy.lockoutThreshold + 1; i++) await kinit(lab.lab, locked.sam, `wrong-${i}`)
    assert.notEqual((await kinit(lab.lab, locked.sam, locked.password)).code, 0, 'locked out first')
    const { text } = await walkReset('locked', 'unlock')
    assert.match(text, /Your account has been unlocked/)
    assert.equal((await kinit(lab.lab, locked.sam, locked.password)).code, 0)
  })

  it('reports missing rights with the under-privileged connector as 33004', async () => {
    await restartAgent(lab.lab.limitedConnector)
    try {
      const { text } = await walkReset('locked', 'reset', pw('Limited'))
      assert.match(text, /SSPR_0029/)
      assert.match(text, /IDB_ERR_WB_ACCESS_DENIED, agent event 33004/)
    } finally {
      await restartAgent(lab.lab.connector)
    }
  })

  it('answers SSPR_0029 at once when the agent is down, with 31034 for the admin', async () => {
    await agent?.stop()
    agent = undefined
    await eventually('the agent offline', async () => cloud.agents.online(cloud.tenant.id).length === 0)
    const started = Date.now()
    const { text } = await walkReset('locked', 'reset', pw('Down'))
    assert.match(text, /SSPR_0029/)
    assert.match(text, /IDB_ERR_AGENT_OFFLINE, agent event 31034/)
    assert.ok(Date.now() - started < 15_000)
  })

  it('leaves no new password in the logs, the database, the relay or the agent event log', async () => {
    assert.equal(await cloud.store.writebackRequests.deleteExpired(Number.MAX_SAFE_INTEGER), 0, "no ciphertext left behind")
    const files = [...filesUnder(dataDir), ...filesUnder(agentDir)].filter((f) => !f.endsWith(CONNECTOR_PASSWORD_FILE))
    assert.ok(files.some((f) => f.endsWith('.db')), 'the store was scanned')
    for (const file of files) {
      const bytes = readFileSync(file)
      for (const secret of usedPasswords) {
        assert.ok(!bytes.includes(Buffer.from(secret)), `${secret} found in ${file}`)
        assert.ok(!bytes.includes(Buffer.from(secret, 'utf16le')), `${secret} (UTF-16) found in ${file}`)
      }
    }
  })
})
