/** @module A self-contained image captcha for the reset start page: SVG paths, no fonts, no scripts. */
import { createHash, randomInt, timingSafeEqual } from 'node:crypto'

/** The seam the reset flow uses, so tests can swap in a captcha whose answer they know. */
export interface Captcha {
  /** `text` is the answer (keep only {@link captchaDigest} of it); `image` is a `data:image/svg+xml;base64,…` URL. */
  create(): { text: string; image: string }
}

// Without look-alikes: 0/O/Q/D, 1/I/l, 2/Z, 5/S, 6/G and 8/B keep only one of each pair, if any.
export const captchaAlphabet = 'ACEFHJKLMNPRTUVWXY345679'
const LENGTH = 6
const WIDTH = 200
const HEIGHT = 64
const NOISE_LINES = 5

// A stroke font on a 4×6 grid: each stroke is a run of two-digit "xy" points. Drawing our own
// strokes avoids <text>, which would hand the answer to any bot that reads the SVG source.
const glyphs: Readonly<Record<string, readonly string[]>> = {
  A: ['062046', '1333'],
  C: ['4130100105163645'],
  E: ['40000646', '0333'],
  F: ['400006', '0333'],
  H: ['0006', '4046', '0343'],
  J: ['4045361605', '2040'],
  K: ['0006', '4004', '1346'],
  L: ['000646'],
  M: ['0600234046'],
  N: ['06004640'],
  P: ['06003041423303'],
  R: ['06003041423303', '2346'],
  T: ['0040', '2026'],
  U: ['000516364540'],
  V: ['002640'],
  W: ['0016223640'],
  X: ['0046', '4006'],
  Y: ['002340', '2326'],
  '3': ['01103041423313', '334445361605'],
  '4': ['36300444'],
  '5': ['4000033344453606'],
  '6': ['30100105163645443303'],
  '7': ['004016'],
  '9': ['43130201103041453606'],
}

// Layout noise needs no secrecy, so Math.random is enough; only the answer uses the CSPRNG.
function jitter(amount: number): number {
  return (Math.random() * 2 - 1) * amount
}

function colour(): string {
  return `hsl(${Math.floor(Math.random() * 360)},60%,${25 + Math.floor(Math.random() * 20)}%)`
}

function fmt(n: number): string {
  return n.toFixed(1)
}

type Point = readonly [number, number]

// Segments get a random number of wobbly midpoints, so the point count of a path does not give
// away which glyph it is.
function polyline(points: readonly Point[]): string {
  let d = ''
  points.forEach(([x, y], i) => {
    if (i > 0) {
      const [px, py] = points[i - 1]!
      const extra = Math.floor(Math.random() * 3)
      for (let k = 1; k <= extra; k++) {
        const t = k / (extra + 1)
        d += `L${fmt(px + (x - px) * t + jitter(0.8))} ${fmt(py + (y - py) * t + jitter(0.8))}`
      }
    }
    d += `${i === 0 ? 'M' : 'L'}${fmt(x)} ${fmt(y)}`
  })
  return d
}

function strokeAttrs(width: number): string {
  return `stroke="${colour()}" stroke-width="${fmt(width)}"`
}

/** One character as a path whose coordinates already include rotation, scale and wobble. */
function glyphPath(char: string, index: number): string {
  const strokes = glyphs[char]
  if (!strokes) throw new Error(`captcha: no glyph for ${char}`)
  const scale = 6 + jitter(0.8)
  const angle = jitter(0.35)
  const [cos, sin] = [Math.cos(angle), Math.sin(angle)]
  const centreX = 24 + index * 30 + jitter(3)
  const centreY = HEIGHT / 2 + jitter(6)
  const d = strokes
    .map((stroke) =>
      polyline(
        (stroke.match(/\d\d/g) ?? []).map((pair): Point => {
          const x = (Number(pair[0]) - 2 + jitter(0.25)) * scale
          const y = (Number(pair[1]) - 3 + jitter(0.25)) * scale
          return [centreX + x * cos - y * sin, centreY + x * sin + y * cos]
        }),
      ),
    )
    .join('')
  return `<path d="${d}" ${strokeAttrs(3 + jitter(0.4))}/>`
}

/** A line across the image, drawn like a glyph stroke so the two cannot be told apart by markup. */
function noisePath(): string {
  const points = Array.from({ length: 4 }, (_, i): Point => [(i * WIDTH) / 3 + jitter(15), Math.random() * HEIGHT])
  return `<path d="${polyline(points)}" ${strokeAttrs(1 + Math.random() * 0.8)}/>`
}

function shuffle<T>(items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1))
    ;[items[i], items[j]] = [items[j]!, items[i]!]
  }
  return items
}

/** Draws `text` (characters of {@link captchaAlphabet}) as an SVG data URL that works in a plain <img>. */
export function renderCaptchaSvg(text: string): string {
  const dots = Array.from({ length: 40 }, () => {
    const [cx, cy, r] = [Math.random() * WIDTH, Math.random() * HEIGHT, 0.6 + Math.random() * 1.2]
    return `<circle cx="${fmt(cx)}" cy="${fmt(cy)}" r="${fmt(r)}" fill="${colour()}"/>`
  })
  // Glyphs and noise are interleaved so a bot cannot take "the first six paths".
  const shapes = shuffle([...[...text].map(glyphPath), ...Array.from({ length: NOISE_LINES }, noisePath)])
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}">` +
    `<rect width="100%" height="100%" fill="#f4f1ea"/>${dots.join('')}` +
    `<g fill="none" stroke-linecap="round" stroke-linejoin="round">${shapes.join('')}</g></svg>`
  return `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`
}

/** The real captcha: six characters from the CSPRNG, drawn with {@link renderCaptchaSvg}. */
export class SvgCaptcha implements Captcha {
  create(): { text: string; image: string } {
    const text = Array.from({ length: LENGTH }, () => captchaAlphabet[randomInt(captchaAlphabet.length)]).join('')
    return { text, image: renderCaptchaSvg(text) }
  }
}

function normalise(text: string): string {
  return text.replace(/\s/g, '').toLowerCase()
}

/** SHA-256 hex of the lower-cased answer: what the flow keeps, so the answer never sits in the store. */
export function captchaDigest(text: string): string {
  return createHash('sha256').update(normalise(text)).digest('hex')
}

/** Case-insensitive and blind to spaces, because the image shows neither case nor gaps reliably. */
export function captchaMatches(digest: string, input: string): boolean {
  const expected = Buffer.from(digest, 'hex')
  const given = createHash('sha256').update(normalise(input)).digest()
  return expected.length === given.length && timingSafeEqual(expected, given)
}
