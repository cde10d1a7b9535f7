/** @module Test support: a real captcha image whose answers the test can read back. */
import { type Captcha, SvgCaptcha } from './captcha.ts'

/**
 * Draws with {@link SvgCaptcha} (so pages get a real image) and records each answer, newest last,
 * so a browser test can type `issued.at(-1)`.
 */
export class RecordingCaptcha implements Captcha {
  readonly issued: string[] = []
  readonly #inner = new SvgCaptcha()

  create(): { text: string; image: string } {
    const created = this.#inner.create()
    this.issued.push(created.text)
    return created
  }
}
