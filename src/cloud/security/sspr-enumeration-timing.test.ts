import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { addUser, enableSspr } from '../sspr/sspr-test-support.ts'
import { BrowserSession } from '../web/browser-session.ts'
import { createTestCloud, type TestCloud } from '../web/test-cloud-app.ts'

/**
 * User enumeration by timing: starting a reset (GET /sspr, then POST /sspr with the right captcha)
 * must take about as long for a user ID that exists as for one that does not.
 *
 * The bound is 10% of the larger median plus 2 ms. The absolute slack is there because in-process
 * medians are around a millisecond or less, where 10% is tens of microseconds: a GC pause or a
 * scheduler hiccup on a shared CI machine would dwarf that, while a real leak (an extra scrypt, a
 * directory round trip, a mail send) costs far more than 2 ms.
 */

const WARM_UP = 5
const ROUNDS = 40

const median = (values: number[]) => {
  const sorted = [...values].sort((x, y) => x - y)
  const mid = sorted.length >> 1
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}

describe('SSPR start does not reveal by timing whether a user exists', () => {
  let cloud: TestCloud
  before(async () => {
    cloud = await createTestCloud()
    await enableSspr(cloud)
    await addUser(cloud, 'known@contoso.test', {}, 'Initial-Pass-11!')
  })
  after(() => cloud.dispose())

  /** One start, timed from the page load to the redirect to the gates. */
  const start = async (userId: string): Promise<number> => {
    const browser = new BrowserSession(cloud.app)
    const began = performance.now()
    const page = await browser.get('/t/contoso/sspr')
    const answer = cloud.verification.captcha.issued.at(-1)!
    const res = await browser.post('/t/contoso/sspr', { userId, captcha: answer })
    const ms = performance.now() - began
    assert.equal(page.status, 200)
    assert.equal(res.status, 303, `${userId}: ${res.status}`)
    assert.equal(res.headers.get('location'), '/t/contoso/sspr/verify')
    return ms
  }

  it(`known and unknown IDs: medians of ${ROUNDS} alternating rounds within 10% + 2 ms`, async (t) => {
    const known: number[] = []
    const unknown: number[] = []
    for (let i = 0; i < WARM_UP + ROUNDS; i++) {
      // Alternate which goes first, so drift within a round does not favour one side.
      const order = i % 2 === 0 ? (['known', 'unknown'] as const) : (['unknown', 'known'] as const)
      for (const kind of order) {
        const ms = await start(kind === 'known' ? 'known@contoso.test' : `nobody${i}@contoso.test`)
        if (i >= WARM_UP) (kind === 'known' ? known : unknown).push(ms)
      }
    }
    const k = median(known)
    const u = median(unknown)
    const bound = 0.1 * Math.max(k, u) + 2
    const summary = `median known ${k.toFixed(3)} ms, unknown ${u.toFixed(3)} ms, difference ${Math.abs(k - u).toFixed(3)} ms, bound ${bound.toFixed(3)} ms`
    t.diagnostic(summary)
    assert.equal(known.length, ROUNDS)
    assert.equal(unknown.length, ROUNDS)
    assert.ok(Math.abs(k - u) < bound, summary)
  })
})
