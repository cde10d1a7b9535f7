import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  base32Decode,
  base32Encode,
  generateTotpSecret,
  totpCode,
  totpStep,
  totpUri,
  verifyTotp,
} from './totp.ts'

// RFC 6238 appendix B, SHA-1 column: the seed is the ASCII string "12345678901234567890".
const RFC_SECRET = base32Encode(Buffer.from('12345678901234567890', 'ascii'))
const RFC_VECTORS = [
  [59, '94287082'],
  [1111111109, '07081804'],
  [1111111111, '14050471'],
  [1234567890, '89005924'],
  [2000000000, '69279037'],
  [20000000000, '65353130'],
] as const

describe('base32', () => {
  it('matches the RFC 4648 test vectors without padding', () => {
    const cases = [
      ['', ''],
      ['f', 'MY'],
      ['fo', 'MZXQ'],
      ['foo', 'MZXW6'],
      ['foob', 'MZXW6YQ'],
      ['fooba', 'MZXW6YTB'],
      ['foobar', 'MZXW6YTBOI'],
    ] as const
    for (const [plain, encoded] of cases) {
      assert.equal(base32Encode(Buffer.from(plain)), encoded)
      assert.equal(base32Decode(encoded).toString(), plain)
    }
  })

  it('decodes lower case, spaces and padding, and refuses other characters', () => {
    assert.equal(base32Decode('mzxw 6ytb oi======').toString(), 'foobar')
    assert.throws(() => base32Decode('MZXW1'), /invalid character/)
  })

  it('encodes the RFC seed as the well-known secret', () => {
    assert.equal(RFC_SECRET, 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ')
  })
})

describe('TOTP', () => {
  for (const [seconds, expected] of RFC_VECTORS) {
    it(`matches the RFC 6238 SHA-1 vector at T=${seconds}`, () => {
      assert.equal(totpCode(RFC_SECRET, seconds * 1000, 8), expected)
      assert.deepEqual(verifyTotp(RFC_SECRET, expected, seconds * 1000, { digits: 8, window: 0 }), {
        ok: true,
        step: Math.floor(seconds / 30),
      })
    })
  }

  it('gives 6-digit codes by default (the last 6 digits of the 8-digit value)', () => {
    assert.equal(totpCode(RFC_SECRET, 59_000), '287082')
  })

  it('generates 160-bit secrets', () => {
    const secret = generateTotpSecret()
    assert.match(secret, /^[A-Z2-7]{32}$/)
    assert.equal(base32Decode(secret).length, 20)
    assert.notEqual(generateTotpSecret(), secret)
  })

  it('builds an otpauth URI with issuer and account', () => {
    const uri = totpUri({ issuer: 'Contoso HR', account: 'ada@contoso.test', secret: RFC_SECRET })
    assert.equal(
      uri,
      `otpauth://totp/Contoso%20HR:ada%40contoso.test?secret=${RFC_SECRET}&issuer=Contoso%20HR`,
    )
  })
})

describe('verifyTotp', () => {
  const secret = generateTotpSecret()
  const now = Date.UTC(2026, 0, 1, 12, 0, 10)
  const step = totpStep(now)

  it('accepts the current code and tolerates spaces', () => {
    const code = totpCode(secret, now)
    assert.deepEqual(verifyTotp(secret, code, now), { ok: true, step })
    assert.deepEqual(verifyTotp(secret, `${code.slice(0, 3)} ${code.slice(3)}`, now), { ok: true, step })
  })

  it('accepts one step either side by default, and not two', () => {
    assert.deepEqual(verifyTotp(secret, totpCode(secret, now - 30_000), now), { ok: true, step: step - 1 })
    assert.deepEqual(verifyTotp(secret, totpCode(secret, now + 30_000), now), { ok: true, step: step + 1 })
    assert.deepEqual(verifyTotp(secret, totpCode(secret, now - 60_000), now), { ok: false, reason: 'invalid' })
    assert.deepEqual(verifyTotp(secret, totpCode(secret, now + 60_000), now), { ok: false, reason: 'invalid' })
  })

  it('honours a wider or a zero window', () => {
    const old = totpCode(secret, now - 60_000)
    assert.deepEqual(verifyTotp(secret, old, now, { window: 2 }), { ok: true, step: step - 2 })
    assert.deepEqual(verifyTotp(secret, totpCode(secret, now - 30_000), now, { window: 0 }), {
      ok: false,
      reason: 'invalid',
    })
  })

  it('refuses a code whose step is not after the last accepted one', () => {
    const code = totpCode(secret, now)
    const first = verifyTotp(secret, code, now)
    assert.ok(first.ok)
    assert.deepEqual(verifyTotp(secret, code, now + 5_000, { lastAcceptedStep: first.step }), {
      ok: false,
      reason: 'replayed',
    })
    // An older code inside the window is a replay too once a newer step was accepted.
    const previous = totpCode(secret, now - 30_000)
    assert.deepEqual(verifyTotp(secret, previous, now, { lastAcceptedStep: step }), { ok: false, reason: 'replayed' })
    // The next step's code still works.
    const next = totpCode(secret, now + 30_000)
    assert.deepEqual(verifyTotp(secret, next, now + 30_000, { lastAcceptedStep: step }), { ok: true, step: step + 1 })
  })

  it('refuses wrong, short, long and non-numeric input as invalid', () => {
    const code = totpCode(secret, now)
    const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, '0')
    for (const bad of [wrong, code.slice(1), `${code}0`, 'abcdef', '']) {
      assert.deepEqual(verifyTotp(secret, bad, now), { ok: false, reason: 'invalid' })
    }
  })
})
