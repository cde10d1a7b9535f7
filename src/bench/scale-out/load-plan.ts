/**
 * @module The mixed load of one phase: which user signs in or is reset, with which password, on
 * which node. Built by the parent, which keeps every password it hands out, so the checks after
 * the phase know what AD must hold.
 */
import { randomBytes } from 'node:crypto'
import { checkBannedPassword } from '../../crypto/banned-passwords.ts'

/** A sign-in with the user's current (bench) password. */
export interface SignInItem {
  readonly kind: 'signIn'
  readonly upn: string
  readonly password: string
}

/**
 * Two admin resets of one user, sent one after the other by the same client: the second starts
 * only once the first answered, so "the last password" is well defined, and the first one's
 * password is the one that must stop working.
 */
export interface ResetPairItem {
  readonly kind: 'resetPair'
  readonly userId: string
  readonly upn: string
  readonly passwords: readonly [string, string]
}

export type LoadItem = SignInItem | ResetPairItem

/** What the load child reads: one queue per node, drained by `clientsPerNode` clients each. */
export interface LoadPlan {
  readonly tenantName: string
  readonly adminToken: string
  readonly nodes: readonly { readonly name: string; readonly url: string; readonly certFile: string }[]
  readonly queues: readonly (readonly LoadItem[])[]
  readonly clientsPerNode: number
  /** Each request gives up after this; longer than the tenant's 60 s wait for AD. */
  readonly requestTimeoutMs: number
}

export interface ResetUser {
  readonly userId: string
  readonly upn: string
  readonly givenName: string | null
  readonly surname: string | null
}

/**
 * `resets / 2` reset pairs and `signIns` sign-ins (spread over `signInUpns` in turn), shuffled
 * with a seeded generator so resets are spread evenly through the run, then dealt to the nodes in
 * turn. Every reset password is new and passes the tenant's banned-password check for its user,
 * so a refusal would be AD's or the relay's, not the test's.
 *
 * @example
 * const items = buildLoadItems({ resetUsers, signInUpns, signInPassword, resets: 100, signIns: 1000, tenantName: 'contoso' })
 * const queues = dealToNodes(items, 2)
 */
export function buildLoadItems(options: {
  resetUsers: readonly ResetUser[]
  signInUpns: readonly string[]
  signInPassword: string
  resets: number
  signIns: number
  tenantName: string
  seed: number
}): LoadItem[] {
  const pairs = options.resets / 2
  if (!Number.isInteger(pairs) || options.resetUsers.length < pairs) {
    throw new Error(`${options.resets} resets need ${pairs} reset users, have ${options.resetUsers.length}`)
  }
  const items: LoadItem[] = []
  for (const user of options.resetUsers.slice(0, pairs)) {
    const passwords = [newPassword(user, options.tenantName), newPassword(user, options.tenantName)] as const
    items.push({ kind: 'resetPair', userId: user.userId, upn: user.upn, passwords })
  }
  for (let i = 0; i < options.signIns; i++) {
    items.push({ kind: 'signIn', upn: options.signInUpns[i % options.signInUpns.length]!, password: options.signInPassword })
  }
  return shuffle(items, options.seed)
}

/** Item i goes to node i mod n: both nodes get the same mix. */
export function dealToNodes(items: readonly LoadItem[], nodes: number): LoadItem[][] {
  const queues: LoadItem[][] = Array.from({ length: nodes }, () => [])
  items.forEach((item, i) => queues[i % nodes]!.push(item))
  return queues
}

/** Upper, lower, digit and symbol for AD's complexity rule; random, so never a name or a reused one. */
function newPassword(user: ResetUser, tenantName: string): string {
  for (;;) {
    const password = `So-${randomBytes(6).toString('hex')}-Qx7!`
    const verdict = checkBannedPassword(password, {
      givenName: user.givenName,
      surname: user.surname,
      tenantName,
      customTerms: [],
    })
    if (verdict.accepted) return password
  }
}

/** Fisher–Yates with mulberry32, so a run's order can be reproduced from its seed. */
function shuffle<T>(items: T[], seed: number): T[] {
  let state = seed >>> 0
  const random = () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1))
    ;[items[i], items[j]] = [items[j]!, items[i]!]
  }
  return items
}
