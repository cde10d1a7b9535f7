/** @module The real WritebackSession: one ldapts client bound as the connector to one DC. */
import { Attribute, Change, type Client } from 'ldapts'
import { openDcSession } from '../directory/dc-session.ts'
import type { LdapConnectorOptions } from '../directory/ldap-connector-options.ts'
import { attempt, directoryFault } from './directory-fault.ts'
import {
  findUsersByAnchor,
  isProtectedMember,
  readEffectivePolicy,
  readPolicyHintsOid,
  readUserCannotChange,
} from './ldap-writeback-reads.ts'
import type { PasswordPolicy } from './password-policy.ts'
import { PolicyHintsControl } from './policy-hints-control.ts'
import type { AccountStateWrite, Outcome, WritebackSession, WritebackUser } from './writeback-directory.ts'

function change(operation: 'replace' | 'add' | 'delete', type: string, value: string | Buffer): Change {
  // ldapts types values as strings but writes Buffers as raw octets, which unicodePwd needs.
  return new Change({ operation, modification: new Attribute({ type, values: [value as string] }) })
}

function stateChanges(state: AccountStateWrite): Change[] {
  const changes: Change[] = []
  if (state.unlock) changes.push(change('replace', 'lockoutTime', '0'))
  if (state.pwdLastSet !== undefined) changes.push(change('replace', 'pwdLastSet', state.pwdLastSet))
  return changes
}

export class LdapWritebackSession implements WritebackSession {
  readonly dc: string
  readonly connectorName: string
  readonly #client: Client
  readonly #options: LdapConnectorOptions

  constructor(dc: string, client: Client, connectorName: string, options: LdapConnectorOptions) {
    this.dc = dc
    this.#client = client
    this.connectorName = connectorName
    this.#options = options
  }

  findByAnchor(anchor: Buffer): Promise<Outcome<WritebackUser[]>> {
    return attempt(this.dc, () => findUsersByAnchor(this.#client, this.#options.baseDn, anchor))
  }

  isProtectedMember(user: WritebackUser): Promise<Outcome<boolean>> {
    return attempt(this.dc, () => isProtectedMember(this.#client, this.#options.baseDn, user))
  }

  policyHintsOid(): Promise<Outcome<string | null>> {
    return attempt(this.dc, () => readPolicyHintsOid(this.#client))
  }

  readPolicy(user: WritebackUser): Promise<Outcome<PasswordPolicy>> {
    return attempt(this.dc, () => readEffectivePolicy(this.#client, this.#options.baseDn, user))
  }

  userCannotChange(user: WritebackUser): Promise<Outcome<boolean>> {
    return attempt(this.dc, () => readUserCannotChange(this.#client, user))
  }

  resetPassword(
    user: WritebackUser,
    password: Buffer,
    state: AccountStateWrite,
    hintsOid: string | null,
  ): Promise<Outcome<void>> {
    // One modify, so the password, the unlock and pwdLastSet land together or not at all.
    const changes = [change('replace', 'unicodePwd', password), ...stateChanges(state)]
    return this.#write(user, changes, hintsOid ? [new PolicyHintsControl(hintsOid)] : [])
  }

  changePassword(user: WritebackUser, oldPassword: Buffer, newPassword: Buffer): Promise<Outcome<void>> {
    // Delete-old/add-new is AD's "change": the Change Password right suffices, and history and age apply.
    const changes = [change('delete', 'unicodePwd', oldPassword), change('add', 'unicodePwd', newPassword)]
    return this.#write(user, changes, [])
  }

  async writeState(user: WritebackUser, state: AccountStateWrite): Promise<Outcome<void>> {
    const changes = stateChanges(state)
    if (changes.length === 0) return { ok: true, value: undefined }
    return this.#write(user, changes, [])
  }

  async verifyPassword(user: WritebackUser, password: string): Promise<Outcome<void>> {
    // A fresh connection: rebinding the connector's session as the user would lose the connector bind.
    const opened = await openDcSession(this.dc, { ...this.#options, bindDn: user.dn, bindPassword: password })
    if (opened.ok) {
      await opened.value.client.unbind().catch(() => {})
      return { ok: true, value: undefined }
    }
    // The raw ldapts error keeps AD's words without the connector-oriented fix text of the catalogue.
    return { ok: false, fault: directoryFault(opened.error.cause ?? opened.error, this.dc) }
  }

  async close(): Promise<void> {
    await this.#client.unbind().catch(() => {})
  }

  async #write(user: WritebackUser, changes: Change[], controls: PolicyHintsControl[]): Promise<Outcome<void>> {
    // ldapts reconnects a dropped socket on its own, unbound; checking first keeps "nothing was
    // sent" (safe to report as unavailable) apart from "sent, no answer" (outcome unknown).
    if (!this.#client.isConnected) {
      return {
        ok: false,
        fault: {
          dc: this.dc,
          ldapResultCode: null,
          adDataCode: null,
          systemCode: 'ECONNRESET',
          afterSend: false,
          diagnostic: 'the connection to the DC closed before the write',
        },
      }
    }
    return attempt(this.dc, () => this.#client.modify(user.dn, changes, controls), { write: true })
  }
}
