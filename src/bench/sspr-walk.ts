/** @module The self-service reset portal walked over HTTPS as a user does, up to the new-password form, then the timed submit. */
import type { RecordingCaptcha } from '../cloud/sspr/recording-captcha.ts'
import type { MessageSink } from '../lab/message-sink.ts'
import type { PortalClient, PortalReply } from './portal-client.ts'
import { waitFor } from './wait-for.ts'

export interface SsprWalk {
  readonly portal: PortalClient
  /** The tenant's portal path, e.g. /t/contoso/sspr. */
  readonly base: string
  /** The tenant's captcha, so the walk can type the answer of the picture it was shown. */
  readonly captcha: RecordingCaptcha
  /** The lab sink the one-time codes land in (config `sspr.labSinks`). */
  readonly sink: MessageSink
}

const RESET_DONE = 'Your password has been reset'

/**
 * A fresh browser (no cookies) from "Who are you?" through the captcha, the email gate with the
 * code from the lab sink, and "I forgot my password", ending on the new-password form.
 *
 * @example
 * await walkToPasswordForm(walk, 'bench00001@bench.test', 'bench00001@home.test')
 */
export async function walkToPasswordForm(walk: SsprWalk, userPrincipalName: string, email: string): Promise<void> {
  const { portal, base } = walk
  portal.clearCookies()
  expectPage(await portal.get(base), 200, 'the identify page')
  const answer = walk.captcha.issued.at(-1)
  if (!answer) throw new Error('sspr walk: the identify page issued no captcha')
  const identified = expectPage(await portal.post(base, { userId: userPrincipalName, captcha: answer }), 303, 'the identify post')
  expectPage(await portal.get(identified.location!), 200, 'the gate page')
  const sent = (): string[] => walk.sink.messages().filter((m) => m.to === email).map((m) => m.text)
  const before = sent().length
  expectPage(await portal.post(`${base}/verify`, { method: 'email' }), 200, 'choosing the email gate')
  const code = await waitFor(
    `sspr walk: a one-time code for ${email} in the lab sink`,
    async () => sent().slice(before).at(-1)?.match(/code is (\d{8})/)?.[1],
    { timeoutMs: 30_000, intervalMs: 10 },
  )
  let next = expectPage(await portal.post(`${base}/verify/answer`, { code }), 303, 'the code').location!
  if (next.endsWith('/sspr/action')) {
    expectPage(await portal.get(next), 200, 'the reset-or-unlock page')
    next = expectPage(await portal.post(next, { action: 'reset' }), 303, 'choosing reset').location!
  }
  if (!next.endsWith('/sspr/password')) throw new Error(`sspr walk: the gate led to ${next}, not the password form`)
  const form = expectPage(await portal.get(next), 200, 'the password form')
  if (!form.body.includes('name="newPassword"')) throw new Error('sspr walk: the password form has no newPassword field')
}

/**
 * Submits the new password twice and times until the result page has arrived in full; throws
 * unless it says the password was reset.
 */
export async function submitNewPassword(walk: SsprWalk, password: string): Promise<number> {
  const started = performance.now()
  const reply = await walk.portal.post(`${walk.base}/password`, { newPassword: password, confirmPassword: password })
  const ms = performance.now() - started
  if (reply.status !== 200 || !reply.body.includes(RESET_DONE)) {
    throw new Error(`sspr walk: the result page is ${reply.status}, not "${RESET_DONE}": ${pageText(reply.body)}`)
  }
  return ms
}

function expectPage(reply: PortalReply, status: number, what: string): PortalReply {
  if (reply.status !== status) throw new Error(`sspr walk: ${what} answered ${reply.status}, not ${status}: ${pageText(reply.body)}`)
  if (status === 303 && !reply.location) throw new Error(`sspr walk: ${what} redirected nowhere`)
  return reply
}

/** The visible text of a page, shortened, for error messages. */
function pageText(html: string): string {
  const main = html.match(/<main[^>]*>([\s\S]*?)<\/main>/)?.[1] ?? html
  return main.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim().slice(0, 400)
}
