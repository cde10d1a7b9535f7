/** @module Reads a password from stdin, so it never appears in argv, the environment or shell history. */
import { createInterface } from 'node:readline'

/** On a TTY it prompts without echo; otherwise it reads the first line of piped input. */
export async function readSecret(prompt: string): Promise<string> {
  const input = process.stdin
  if (!input.isTTY) {
    const rl = createInterface({ input })
    for await (const line of rl) {
      rl.close()
      return line
    }
    return ''
  }
  process.stderr.write(prompt)
  input.setRawMode(true)
  input.resume()
  let value = ''
  return new Promise((resolve) => {
    const onData = (chunk: Buffer) => {
      for (const ch of chunk.toString('utf8')) {
        if (ch === '\r' || ch === '\n' || ch === '\u0004') {
          input.setRawMode(false)
          input.pause()
          input.off('data', onData)
          process.stderr.write('\n')
          resolve(value)
          return
        }
        if (ch === '\u0003') process.exit(130)
        value = ch === '\u007f' ? value.slice(0, -1) : value + ch
      }
    }
    input.on('data', onData)
  })
}
