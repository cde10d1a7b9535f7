/**
 * @module RC4, which NTLM sealing and the DRS secret-attribute layer still use. OpenSSL 3 only
 * offers it through the legacy provider, and turning that on would weaken the whole process.
 */

/** A keyed RC4 stream. One instance is one keystream: NTLM sealing keeps it across messages. */
export class Rc4 {
  readonly #s = new Uint8Array(256)
  #i = 0
  #j = 0

  constructor(key: Uint8Array) {
    if (key.length === 0 || key.length > 256) throw new Error(`an RC4 key has 1 to 256 bytes, got ${key.length}`)
    const s = this.#s
    for (let n = 0; n < 256; n++) s[n] = n
    let j = 0
    for (let n = 0; n < 256; n++) {
      j = (j + s[n]! + key[n % key.length]!) & 0xff
      const t = s[n]!
      s[n] = s[j]!
      s[j] = t
    }
  }

  /** XORs the next keystream bytes into a copy of `data`; encryption and decryption are the same. */
  update(data: Uint8Array): Buffer {
    const out = Buffer.allocUnsafe(data.length)
    const s = this.#s
    let i = this.#i
    let j = this.#j
    for (let n = 0; n < data.length; n++) {
      i = (i + 1) & 0xff
      j = (j + s[i]!) & 0xff
      const t = s[i]!
      s[i] = s[j]!
      s[j] = t
      out[n] = data[n]! ^ s[(s[i]! + s[j]!) & 0xff]!
    }
    this.#i = i
    this.#j = j
    return out
  }
}

/** One-shot RC4 with a fresh keystream. */
export function rc4(key: Uint8Array, data: Uint8Array): Buffer {
  return new Rc4(key).update(data)
}
