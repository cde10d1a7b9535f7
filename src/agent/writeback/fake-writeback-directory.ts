/** @module An in-memory WritebackDirectory for the executor's logic: DC fail-over, lost answers, write counts. */
import type { PasswordPolicy } from './password-policy.ts'
import type {
  AccountStateWrite,
  DirectoryFault,
  Outcome,
  WritebackDirectory,
  WritebackSession,
  WritebackUser,
} from './writeback-directory.ts'

/** A user of the fake: what the executor reads, plus the anchor and the password the fake compares. */
export interface FakeUser extends WritebackUser {
  readonly anchor: string
  password: string
  locked: boolean
  protectedMember?: boolean
}

type Method = 'findByAnchor' | 'resetPassword' | 'changePassword' | 'writeState' | 'verifyPassword'

/** Builds a fault like the real session's. */
export function fakeFault(dc: string, fields: Partial<DirectoryFault> = {}): DirectoryFault {
  const none = { ldapResultCode: null, adDataCode: null, systemCode: null }
  return { dc, ...none, afterSend: false, diagnostic: 'fake fault', ...fields }
}

/**
 * DCs are names; a DC in `down` refuses to open. `faults` makes the next call of a method on a
 * DC fail once. Writes are counted per kind, so a test can prove a replay wrote nothing.
 */
export class FakeWritebackDirectory implements WritebackDirectory {
  readonly domainName = 'CONTOSO.TEST'
  readonly users: FakeUser[] = []
  readonly down = new Set<string>()
  readonly faults = new Map<string, DirectoryFault>()
  readonly writes: Array<{
    dc: string
    method: Method
    dn: string
    state?: AccountStateWrite
    hints?: string | null
  }> = []
  /** Every password buffer the executor handed over, to check they were wiped afterwards. */
  readonly passwordBuffers: Buffer[] = []
  policy: PasswordPolicy = {
    minLength: 8,
    complexity: true,
    minAgeSeconds: 0,
    historyLength: 24,
    source: 'domain',
    psoDn: null,
  }
  hintsOid: string | null = null
  readonly dcs: readonly string[]

  constructor(dcs: readonly string[] = ['ldaps://dc1.test', 'ldaps://dc2.test']) {
    this.dcs = dcs
  }

  async open(skip: readonly string[] = []): Promise<Outcome<WritebackSession>> {
    const candidates = this.dcs.filter((dc) => !skip.includes(dc))
    const dc = candidates.find((d) => !this.down.has(d))
    const last = candidates.at(-1) ?? this.dcs.at(-1)!
    if (!dc) return { ok: false, fault: fakeFault(last, { systemCode: 'ECONNREFUSED' }) }
    return { ok: true, value: this.#session(dc) }
  }

  #take(dc: string, method: Method): DirectoryFault | undefined {
    const key = `${dc} ${method}`
    const fault = this.faults.get(key)
    this.faults.delete(key)
    return fault
  }

  #session(dc: string): WritebackSession {
    const fail = (fault: DirectoryFault) => ({ ok: false as const, fault })
    const ok = <T>(value: T) => ({ ok: true as const, value })
    const userOf = (user: WritebackUser) => this.users.find((u) => u.dn === user.dn)!
    const decode = (value: Buffer) => value.toString('utf16le').slice(1, -1)
    return {
      dc,
      connectorName: 'svc-fake',
      findByAnchor: async (anchor) => {
        const fault = this.#take(dc, 'findByAnchor')
        if (fault) return fail(fault)
        return ok(this.users.filter((u) => u.anchor === anchor.toString('base64')))
      },
      isProtectedMember: async (user) => ok(userOf(user).protectedMember ?? false),
      policyHintsOid: async () => ok(this.hintsOid),
      readPolicy: async () => ok(this.policy),
      userCannotChange: async () => ok(false),
      resetPassword: async (user, password, state, hints) => {
        this.passwordBuffers.push(password)
        const fault = this.#take(dc, 'resetPassword')
        if (fault) return fail(fault)
        this.writes.push({ dc, method: 'resetPassword', dn: user.dn, state, hints })
        userOf(user).password = decode(password)
        if (state.unlock) userOf(user).locked = false
        return ok(undefined)
      },
      changePassword: async (user, oldPassword, newPassword) => {
        this.passwordBuffers.push(oldPassword, newPassword)
        const fault = this.#take(dc, 'changePassword')
        if (fault) return fail(fault)
        if (decode(oldPassword) !== userOf(user).password) {
          const diagnostic = "00000056: old password doesn't match"
          return fail(fakeFault(dc, { ldapResultCode: 19, adDataCode: '00000056', diagnostic }))
        }
        this.writes.push({ dc, method: 'changePassword', dn: user.dn })
        userOf(user).password = decode(newPassword)
        return ok(undefined)
      },
      writeState: async (user, state) => {
        const fault = this.#take(dc, 'writeState')
        if (fault) return fail(fault)
        this.writes.push({ dc, method: 'writeState', dn: user.dn, state })
        if (state.unlock) userOf(user).locked = false
        return ok(undefined)
      },
      verifyPassword: async (user, password) => {
        const fault = this.#take(dc, 'verifyPassword')
        if (fault) return fail(fault)
        if (password === userOf(user).password) return ok(undefined)
        return fail(fakeFault(dc, { ldapResultCode: 49, adDataCode: '52e', diagnostic: 'data 52e' }))
      },
      close: async () => {},
    }
  }
}
