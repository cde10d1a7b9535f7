import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { captchaAlphabet, captchaDigest, captchaMatches, renderCaptchaSvg, SvgCaptcha } from './captcha.ts'
import { RecordingCaptcha } from './recording-captcha.ts'

const PREFIX = 'data:image/svg+xml;base64,'

function svgOf(image: string): string {
  assert.ok(image.startsWith(PREFIX))
  return Buffer.from(image.slice(PREFIX.length), 'base64').toString('utf8')
}

describe('SvgCaptcha', () => {
  it('answers with six characters of the unambiguous alphabet', () => {
    const captcha = new SvgCaptcha()
    for (let i = 0; i < 50; i++) {
      const { text } = captcha.create()
      assert.match(text, /^[A-Z2-9]{6}$/)
      assert.ok([...text].every((c) => captchaAlphabet.includes(c)))
      assert.doesNotMatch(text, /[0O1Il]/)
    }
  })

  it('draws a self-contained SVG without text, fonts, scripts or links', () => {
    const { text, image } = new SvgCaptcha().create()
    const svg = svgOf(image)
    assert.match(svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"[^>]*viewBox=/)
    assert.ok(svg.endsWith('</svg>'))
    assert.doesNotMatch(svg, /<text|<script|font|href|url\(|on[a-z]+=/i)
    assert.ok(!svg.includes(text))
    // Six glyph paths plus five noise paths.
    assert.equal(svg.match(/<path /g)?.length, 11)
  })

  it('draws every character of the alphabet, differently each time', () => {
    const first = renderCaptchaSvg(captchaAlphabet)
    assert.notEqual(renderCaptchaSvg(captchaAlphabet), first)
    assert.throws(() => renderCaptchaSvg('O'), /no glyph/)
  })

  it('gives different answers from one call to the next', () => {
    const captcha = new SvgCaptcha()
    const answers = new Set(Array.from({ length: 20 }, () => captcha.create().text))
    assert.ok(answers.size > 15)
  })
})

describe('captcha answers', () => {
  it('digests the lower-cased answer with SHA-256', () => {
    assert.equal(captchaDigest('ABC345'), captchaDigest('abc345'))
    assert.match(captchaDigest('ABC345'), /^[0-9a-f]{64}$/)
  })

  it('matches case-insensitively and ignores spaces', () => {
    const digest = captchaDigest('K7MPX4')
    for (const good of ['K7MPX4', 'k7mpx4', ' k7m px4 ']) assert.equal(captchaMatches(digest, good), true)
    for (const bad of ['K7MPX', 'K7MPX44', 'K7MPXA', '']) assert.equal(captchaMatches(digest, bad), false)
  })

  it('refuses a malformed digest instead of throwing', () => {
    assert.equal(captchaMatches('zz', 'K7MPX4'), false)
  })
})

describe('RecordingCaptcha', () => {
  it('records each answer it hands out', () => {
    const captcha = new RecordingCaptcha()
    const a = captcha.create()
    const b = captcha.create()
    assert.deepEqual(captcha.issued, [a.text, b.text])
    assert.ok(a.image.startsWith(PREFIX))
    assert.equal(captchaMatches(captchaDigest(a.text), captcha.issued[0]!), true)
  })
})
