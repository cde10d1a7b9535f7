/** @module NDR's deferred pointees, shared by the reader and the writer: one queue, flushed depth-first. */

/**
 * Embedded pointers' pointees follow the top-level construct that holds them, and a pointee's own
 * pointees follow it directly. An explicit stack instead of recursion keeps a hostile reply from
 * exhausting the call stack; `tooDeep` decides what a nesting past `maxDepth` means.
 */
export class DeferredPointees {
  #pending: Array<() => void> = []

  add(work: () => void): void {
    this.#pending.push(work)
  }

  flush(limit: { maxDepth: number; tooDeep: (depth: number) => never } | undefined = undefined): void {
    const stack: Array<{ queue: Array<() => void>; at: number }> = [{ queue: this.#pending, at: 0 }]
    this.#pending = []
    while (stack.length) {
      const frame = stack[stack.length - 1]!
      const next = frame.queue[frame.at++]
      if (!next) {
        stack.pop()
        continue
      }
      next()
      if (this.#pending.length) {
        if (limit && stack.length >= limit.maxDepth) limit.tooDeep(limit.maxDepth)
        stack.push({ queue: this.#pending, at: 0 })
      }
      this.#pending = []
    }
  }
}
